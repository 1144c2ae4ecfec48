import sys

from zahnrad.cli import main

sys.exit(main())
