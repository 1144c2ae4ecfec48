"""The fact catalog (facts.toml) and the criteria catalog (criteria.toml), as data."""
