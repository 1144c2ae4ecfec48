"""Discourse: the probe pack, anonymous, as a member and as an administrator.

HTTP is mocked with ``responses``; the answers are modelled on the documented ones
(discourse/discourse_api_docs openapi.yml; discourse/discourse spec/requests/api/schemas/json/
site_basic_info_response.json and site_response.json, AboutSerializer and About#stats,
AdminPluginSerializer, Admin::WebHooksController#index). The recording in
tests/recordings/discourse/ is made from the same fixtures by ``zahnrad probe --record``
(``ZAHNRAD_UPDATE_RECORDINGS=1`` rewrites it).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import responses

from zahnrad.catalog import load_catalog
from zahnrad.registry import registry
from zahnrad.runner import probe_vendor
from zahnrad.strategy import Vendor
from zahnrad.testing import (
    assert_no_secrets,
    fact_values,
    record_probe,
    recorded_exchanges,
    replay_vendor,
    update_recordings,
)
from zahnrad.testing import fact_state as state

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "tests" / "recordings" / "discourse"
BASE = "https://forum.acme.example"
MEMBER, MEMBER_KEY = "probe-mitglied", "3f1c9a7e52b84d06a1e9c3b7f20d5e48c6a1b9f3e7d2c05a8b4f6e1d9c3a7b52"
ADMIN, ADMIN_KEY = "probe-admin", "9b2e6d1f4a8c3e7b05d9f2a6c1e8b4d7a3f9c2e6b1d8a5f4c7e3b9d2a6f1c8e4"
MEMBER_CREDS = {"api_key": "ZAHNRAD_DISCOURSE_API_KEY",
                "api_username": "ZAHNRAD_DISCOURSE_API_USERNAME"}
ADMIN_CREDS = {**MEMBER_CREDS, "admin_api_key": "ZAHNRAD_DISCOURSE_ADMIN_API_KEY",
               "admin_username": "ZAHNRAD_DISCOURSE_ADMIN_USERNAME"}
ENV = {"ZAHNRAD_DISCOURSE_API_KEY": MEMBER_KEY, "ZAHNRAD_DISCOURSE_API_USERNAME": MEMBER,
       "ZAHNRAD_DISCOURSE_ADMIN_API_KEY": ADMIN_KEY, "ZAHNRAD_DISCOURSE_ADMIN_USERNAME": ADMIN}

BASIC_INFO = {
    "logo_url": f"{BASE}/uploads/default/original/1X/acme-logo.png",
    "logo_small_url": f"{BASE}/uploads/default/original/1X/acme-logo-small.png",
    "apple_touch_icon_url": f"{BASE}/uploads/default/original/1X/acme-touch.png",
    "favicon_url": f"{BASE}/uploads/default/original/1X/acme-favicon.png",
    "title": "Acme <Forum>", "description": "Fragen, Antworten und Ideen rund um Acme.",
    "header_primary_color": "222222", "header_background_color": "ffffff",
    "login_required": False, "locale": "de", "include_in_discourse_discover": False,
    "mobile_logo_url": "",
}
LIKE = {"id": 2, "name_key": "like", "name": "Gefällt mir", "description": "Diesen Beitrag mögen",
        "short_description": "Diesen Beitrag mögen", "is_flag": False, "require_message": False,
        "enabled": True, "applies_to": ["Post", "Chat::Message"], "is_used": True, "position": 2,
        "auto_action_type": False}
FLAGS = [
    {"id": 3, "name_key": "off_topic", "name": "Thema verfehlt", "description": "Passt nicht",
     "short_description": "Passt nicht", "is_flag": True, "require_message": False,
     "enabled": True, "applies_to": ["Post", "Chat::Message"], "is_used": True, "position": 3,
     "auto_action_type": True},
    {"id": 8, "name_key": "spam", "name": "Spam", "description": "Werbung", "short_description":
     "Werbung", "is_flag": True, "require_message": False, "enabled": True,
     "applies_to": ["Post", "Topic", "Chat::Message"], "is_used": True, "position": 5,
     "auto_action_type": True},
]


def category(cid: int, name: str, slug: str, *, restricted: bool = False,
             permission: int | None = None, topics: int = 0) -> dict:
    return {
        "id": cid, "name": name, "color": "0088CC", "text_color": "FFFFFF", "slug": slug,
        "topic_count": topics, "post_count": topics * 4, "position": cid,
        "description": f"<p>{name}</p>", "description_text": name, "description_excerpt": name,
        "topic_url": f"/t/about-the-{slug}-category/{cid}", "read_restricted": restricted,
        "permission": permission, "notification_level": 1, "topic_template": None,
        "has_children": False, "subcategory_count": None, "sort_order": None,
        "sort_ascending": None, "show_subcategory_list": False, "num_featured_topics": 3,
        "default_view": None, "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all", "default_list_filter": "all", "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False, "allowed_tags": [], "allowed_tag_groups": [],
        "allow_global_tags": False, "required_tag_groups": [], "read_only_banner": None,
        "uploaded_logo": None, "uploaded_logo_dark": None, "uploaded_background": None,
        "uploaded_background_dark": None, "can_edit": False, "form_template_ids": [],
    }


SITE = {
    "default_archetype": "regular",
    "notification_types": {"mentioned": 1, "replied": 2, "quoted": 3, "edited": 4, "liked": 5,
                           "private_message": 6, "posted": 9, "reaction": 25},
    "post_types": {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4},
    "trust_levels": {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4},
    "user_tips": {"first_notification": 1, "topic_timeline": 2, "post_menu": 3,
                  "topic_notification_levels": 4, "suggested_topics": 5},
    "groups": [{"id": 1, "name": "admins", "flair_url": None, "flair_bg_color": None,
                "flair_color": None},
               {"id": 41, "name": "betriebsrat", "flair_url": None, "flair_bg_color": None,
                "flair_color": None}],
    "filters": ["latest", "unread", "new", "unseen", "top", "read", "posted", "bookmarks"],
    "periods": ["all", "yearly", "quarterly", "monthly", "weekly", "daily"],
    "top_menu_items": ["latest", "new", "unread", "top", "categories"],
    "anonymous_top_menu_items": ["latest", "top", "categories"],
    "uncategorized_category_id": 1, "user_field_max_length": 2048,
    "post_action_types": [LIKE, *FLAGS], "topic_flag_types": FLAGS,
    "can_create_tag": False, "can_tag_topics": False, "can_tag_pms": False,
    "tags_filter_regexp": "[/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}\"<>]+",
    "top_tags": ["einkauf", "it", "personal"], "wizard_required": False,
    "topic_featured_link_allowed_category_ids": [],
    "user_themes": [{"theme_id": 2, "name": "Acme Hell", "default": True, "color_scheme_id": None},
                    {"theme_id": 5, "name": "Acme Dunkel", "default": False,
                     "color_scheme_id": 7}],
    "user_color_schemes": [{"id": 7, "name": "Acme Dunkel", "is_dark": True}],
    "default_dark_color_scheme": None, "censored_regexp": [], "custom_emoji_translation": {},
    "watched_words_replace": None, "watched_words_link": None, "markdown_additional_options": {},
    "hashtag_configurations": {"topic-composer": ["category", "tag"]}, "hashtag_icons": {},
    "displayed_about_plugin_stat_groups": ["chat_messages"],
    "categories": [category(4, "Allgemein", "allgemein", topics=120),
                   category(5, "Ankündigungen", "ankuendigungen", topics=14)],
    "archetypes": [{"id": "regular", "name": "Normales Thema", "options": []}],
    "user_fields": [
        {"id": 1, "name": "Abteilung", "description": "Wo arbeitest du?", "field_type": "text",
         "editable": True, "required": False, "show_on_profile": True,
         "show_on_user_card": True, "searchable": True, "position": 1, "options": [],
         "requirement": "optional"},
        {"id": 2, "name": "Standort", "description": "Wo sitzt du?", "field_type": "dropdown",
         "editable": True, "required": False, "show_on_profile": True,
         "show_on_user_card": False, "searchable": False, "position": 2,
         "options": ["Berlin", "Leipzig"], "requirement": "optional"},
    ],
    "auth_providers": [
        {"name": "oidc", "custom_url": None, "pretty_name_override": "Acme-Konto",
         "title_override": None, "frame_width": None, "frame_height": None, "can_connect": True,
         "can_revoke": True, "icon": None},
        {"name": "github", "custom_url": None, "pretty_name_override": None,
         "title_override": None, "frame_width": None, "frame_height": None, "can_connect": True,
         "can_revoke": True, "icon": None},
    ],
    "whispers_allowed_groups_names": [], "denied_emojis": [],
    "valid_flag_applies_to_types": ["Post", "Topic", "Chat::Message"],
    "navigation_menu_site_top_tags": ["einkauf", "it"],
    "full_name_required_for_signup": False, "full_name_visible_in_signup": True,
}
# The member's own view: tagging allowed, topics may be started in "Allgemein" only, and the
# works council's restricted category is visible to this member.
SITE_MEMBER = copy.deepcopy(SITE)
SITE_MEMBER.update(can_tag_topics=True, can_tag_pms=True, categories=[
    category(4, "Allgemein", "allgemein", permission=1, topics=120),
    category(5, "Ankündigungen", "ankuendigungen", permission=3, topics=14),
    category(9, "Betriebsrat", "betriebsrat", restricted=True, permission=1, topics=8),
])


def user(uid: int, name: str) -> dict:
    return {"id": uid, "username": name, "name": name.title(), "avatar_template":
            f"/user_avatar/forum.acme.example/{name}/{{size}}/3_2.png", "title": None,
            "last_seen_at": "2026-11-27T16:02:11.000Z"}


ABOUT = {"about": {
    "stats": {"topic_count": 142, "topics_last_day": 3, "topics_7_days": 11, "topics_30_days": 37,
              "post_count": 1288, "posts_last_day": 21, "posts_7_days": 160,
              "posts_30_days": 611, "user_count": 412, "users_last_day": 1, "users_7_days": 4,
              "users_30_days": 19, "active_users_last_day": 57, "active_users_7_days": 140,
              "active_users_30_days": 233, "like_count": 2960, "likes_last_day": 30,
              "likes_7_days": 212, "likes_30_days": 801},
    "description": "Fragen, Antworten und Ideen rund um Acme.", "title": "Acme <Forum>",
    "locale": "de", "version": "3.3.2", "https": True, "can_see_about_stats": True,
    "contact_url": "", "contact_email": "forum@acme.example",
    "moderators": [user(7, "moderatorin")],
    "admins": [user(1, "system-admin"), user(2, "it-betrieb")],
    "category_moderators": [], "site_creation_date": "2021-03-04T10:11:12.000Z",
}}
ABOUT_NO_STATS = copy.deepcopy(ABOUT)
del ABOUT_NO_STATS["about"]["stats"]
ABOUT_NO_STATS["about"]["can_see_about_stats"] = False


def plugin(pid: str, *, enabled: bool = True, official: bool = True) -> dict:
    return {"id": pid, "name": pid, "about": f"The {pid} plugin.", "version": "0.1",
            "url": f"https://meta.discourse.org/t/{pid}", "enabled": enabled,
            "enabled_setting": f"{pid.replace('-', '_')}_enabled", "has_settings": True,
            "is_official": official, "commit_hash": "5b1c0e2", "commit_url":
            f"https://github.com/discourse/{pid}/commit/5b1c0e2"}


PLUGINS = {"plugins": [plugin("automation"), plugin("chat"), plugin("poll"),
                       plugin("discourse-openid-connect"),
                       plugin("discourse-solved", enabled=False)]}
WEB_HOOKS = {
    "web_hooks": [{"id": 1, "payload_url": "https://hooks.acme.example/discourse",
                   "content_type": 1, "last_delivery_status": 3, "secret": "",
                   "wildcard_web_hook": False, "verify_certificate": True, "active": True,
                   "web_hook_event_types": [{"id": 1, "name": "topic"}, {"id": 2, "name": "post"}],
                   "categories": [], "tags": [], "groups": []}],
    "extras": {"event_types": [{"id": 1, "name": "topic"}, {"id": 2, "name": "post"}],
               "default_event_types": [{"id": 2, "name": "post"}],
               "content_types": [{"id": 1, "name": "application/json"}],
               "delivery_statuses": [{"id": 1, "name": "inactive"}, {"id": 3, "name": "successful"}]},
    "total_rows_web_hooks": 1, "load_more_web_hooks": "/admin/api/web_hooks.json?offset=50",
}
INVALID = {"errors": ["You are not permitted to view the requested resource. "
                      "The API username or key is invalid."], "error_type": "invalid_access"}
NOT_FOUND = {"errors": ["The requested URL or resource could not be found."],
             "error_type": "not_found"}
LOGIN_PAGE = "<!DOCTYPE html><html lang=\"de\"><head><title>Anmelden - Acme Forum</title></head>"


def discourse_server(rs: responses.RequestsMock, *, login_required: bool = False,
                     about: dict | None = None) -> None:
    """A Discourse 3.3 site as the documented API answers, registered on ``rs``."""

    def who(request) -> str | None:
        key, name = request.headers.get("Api-Key"), request.headers.get("Api-Username")
        if key is None and name is None:
            return "anon"
        return {(MEMBER_KEY, MEMBER): "member", (ADMIN_KEY, ADMIN): "admin"}.get((key, name))

    def public(member_view: dict, anon_view: dict):
        def callback(request):
            w = who(request)
            if w is None:
                return 403, {}, json.dumps(INVALID)
            if w == "anon":
                if login_required:
                    return 302, {"Location": f"{BASE}/login"}, ""
                return 200, {}, json.dumps(anon_view)
            return 200, {}, json.dumps(member_view)
        return callback

    def admin_only(answer: dict):
        def callback(request):
            w = who(request)
            if w is None:
                return 403, {}, json.dumps(INVALID)
            return (200, {}, json.dumps(answer)) if w == "admin" else (404, {}, json.dumps(NOT_FOUND))
        return callback

    ct = "application/json; charset=utf-8"
    rs.get(f"{BASE}/site/basic-info.json", json=dict(BASIC_INFO, login_required=login_required))
    rs.add_callback("GET", f"{BASE}/site.json", callback=public(SITE_MEMBER, SITE), content_type=ct)
    rs.add_callback("GET", f"{BASE}/about.json", callback=public(about or ABOUT, about or ABOUT),
                    content_type=ct)
    rs.add_callback("GET", f"{BASE}/admin/plugins.json", callback=admin_only(PLUGINS),
                    content_type=ct)
    rs.add_callback("GET", f"{BASE}/admin/api/web_hooks.json", callback=admin_only(WEB_HOOKS),
                    content_type=ct)
    rs.get(f"{BASE}/login", body=LOGIN_PAGE, content_type="text/html; charset=utf-8")


def discourse():
    return registry()["discourse"]


def run(*, creds: dict | None = None, env: dict | None = None, name: str = "Discourse",
        **server):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        discourse_server(rs, **server)
        v = Vendor(name=name, platform="discourse", url=BASE, credentials=creds or {},
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, discourse(), load_catalog(), environ=env or {})
        calls = [(c.request.url.removeprefix(BASE), c.request.headers.get("Api-Username"))
                 for c in rs.calls]
    return vf, calls


def test_discourse_is_a_builtin_pack_plugin():
    p = discourse()
    assert (p.plugin, p.kind, p.display_name) == ("discourse", "forum", "Discourse")
    assert p.credentials.keys() == {"api_key", "api_username", "admin_api_key", "admin_username"}
    assert p.distribution.startswith("zahnrad (built-in)")


# -- anonymous ---------------------------------------------------------------------------------------
def test_anonymous_on_an_open_forum():
    vf, calls = run(name="Discourse (anonymous)")
    assert calls == [("/site/basic-info.json", None), ("/site.json", None), ("/about.json", None)]
    assert vf.complete and vf.problems == []
    assert state(vf, "site.title") == ("observed", "Acme <Forum>", None)
    assert state(vf, "access.anonymous_read") == ("observed", True, None)
    assert state(vf, "x-discourse.login_required") == ("observed", False, None)
    assert state(vf, "platform.product") == ("observed", "Discourse", None)
    assert state(vf, "platform.version") == ("observed", "3.3.2", None)
    assert state(vf, "roles.count") == ("observed", 5, None)
    assert state(vf, "sso.identity_providers") == ("observed", ["oidc", "github"], None)
    assert state(vf, "sso.protocols") == ("observed", ["oidc", "oauth2"], None)
    assert state(vf, "profile.custom_fields") == ("observed", 2, None)
    assert state(vf, "x-discourse.user_fields") == ("observed", ["Abteilung", "Standort"], None)
    assert state(vf, "theming.themes") == ("observed", ["Acme Hell", "Acme Dunkel"], None)
    assert state(vf, "social.reactions") == ("observed", True, None)
    assert state(vf, "spaces.public_count") == ("observed", 2, None)
    assert state(vf, "activity.users_total") == ("observed", 412, None)
    assert state(vf, "activity.users_active") == ("observed", 233, None)
    assert state(vf, "content.pages_total") == ("observed", 142, None)
    assert state(vf, "admin.count") == ("observed", 2, None)
    assert state(vf, "x-discourse.moderators_count") == ("observed", 1, None)
    ev = vf.facts["roles.count"].evidence
    assert (ev.url, ev.path, ev.excerpt) == (f"{BASE}/site.json",
                                             "trust_levels && length(keys(trust_levels))", "5")
    need = "needs the 'api_key' credential, which the strategy does not give for this vendor"
    assert state(vf, "content.tags") == (
        "unknown", None, need + "; needs the 'api_username' credential, which the strategy does "
                                "not give for this vendor")
    assert state(vf, "extensions.installed")[2].startswith("needs the 'admin_api_key' credential")
    assert vf.facts["licence.spdx"].value == "GPL-2.0-or-later"


def test_anonymous_on_a_login_required_forum_sees_only_basic_info():
    vf, _ = run(login_required=True)
    assert state(vf, "access.anonymous_read") == ("observed", False, None)
    assert state(vf, "site.title") == ("observed", "Acme <Forum>", None)
    # site.json and about.json redirect to the login page: unknown, never "no SSO" or "0 users".
    reason = f"HTTP 200 from {BASE}/login was an HTML page (starts '<!DOCTYPE html><html')"
    for fact in ("sso.protocols", "roles.count", "platform.version", "admin.count",
                 "profile.custom_fields"):
        assert state(vf, fact)[0] == "unknown"
        assert reason in state(vf, fact)[2], state(vf, fact)
    assert state(vf, "sso.protocols")[2].startswith("needs the 'api_key' credential")
    assert state(vf, "sso.protocols")[2].endswith(reason)


def test_statistics_hidden_from_visitors_are_unknown():
    vf, _ = run(about=ABOUT_NO_STATS)
    assert state(vf, "activity.users_total") == (
        "unknown", None, "needs the 'api_key' credential, which the strategy does not give for "
                         "this vendor; needs the 'api_username' credential, which the strategy "
                         "does not give for this vendor; about.stats.user_count is not in the "
                         f"answer of {BASE}/about.json")
    assert state(vf, "admin.count") == ("observed", 2, None)


# -- member ------------------------------------------------------------------------------------------
def test_member_view_on_a_login_required_forum():
    vf, calls = run(creds=MEMBER_CREDS, env=ENV, login_required=True, name="Discourse (member)")
    assert ("/site.json", MEMBER) in calls and ("/admin/plugins.json", None) not in calls
    assert vf.complete, vf.problems
    assert state(vf, "roles.count") == ("observed", 5, None)  # read as the member
    assert vf.facts["roles.count"].evidence.url == f"{BASE}/site.json"
    assert state(vf, "platform.version") == ("observed", "3.3.2", None)
    assert state(vf, "content.tags") == ("observed", True, None)
    assert state(vf, "edit.create_pages") == ("observed", True, None)
    assert state(vf, "spaces.public_count") == ("observed", 2, None)  # Betriebsrat is restricted
    assert state(vf, "extensions.installed")[2].startswith("needs the 'admin_api_key' credential")
    dumped = json.dumps(vf.as_dict())
    assert MEMBER_KEY not in dumped and MEMBER not in dumped


def test_a_member_who_may_only_read_and_reply():
    site = copy.deepcopy(SITE_MEMBER)
    for c in site["categories"]:
        c["permission"] = 2
    site["can_tag_topics"] = False
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        discourse_server(rs)
        rs.replace(responses.GET, f"{BASE}/site.json", json=site)
        v = Vendor(name="D", platform="discourse", url=BASE, credentials=MEMBER_CREDS)
        vf = probe_vendor(v, discourse(), load_catalog(), environ=ENV)
    assert state(vf, "edit.create_pages") == ("observed", False, None)
    assert state(vf, "content.tags") == ("observed", False, None)


def test_rejected_member_key():
    env = dict(ENV, ZAHNRAD_DISCOURSE_API_KEY="0" * 64)
    vf, _ = run(creds=MEMBER_CREDS, env=env)
    assert vf.complete
    assert state(vf, "content.tags") == (
        "unknown", None, f"the member's API key or user name was not accepted (HTTP 403 from "
                         f"{BASE}/site.json)")
    assert state(vf, "roles.count") == ("observed", 5, None)  # the open forum answers anyway


# -- administrator -----------------------------------------------------------------------------------
def test_administrator_sees_plugins_and_webhooks():
    vf, calls = run(creds=ADMIN_CREDS, env=ENV, name="Discourse (admin)")
    assert ("/admin/plugins.json", ADMIN) in calls and ("/admin/api/web_hooks.json", ADMIN) in calls
    assert vf.complete and vf.problems == []
    assert state(vf, "extensions.installed") == (
        "observed", ["automation", "chat", "poll", "discourse-openid-connect",
                     "discourse-solved"], None)
    assert state(vf, "extensions.count") == ("observed", 5, None)
    assert state(vf, "x-discourse.plugins_enabled")[1] == [
        "automation", "chat", "poll", "discourse-openid-connect"]
    assert state(vf, "automation.workflows") == ("observed", True, None)
    assert state(vf, "webhooks.outgoing") == ("observed", True, None)
    assert state(vf, "x-discourse.webhooks_configured") == ("observed", 1, None)
    assert state(vf, "content.tags") == ("observed", True, None)  # the member's view, not the admin's
    dumped = json.dumps(vf.as_dict())
    assert ADMIN_KEY not in dumped and MEMBER_KEY not in dumped


def test_admin_facts_with_a_members_key_are_unknown_not_absent():
    env = dict(ENV, ZAHNRAD_DISCOURSE_ADMIN_API_KEY=MEMBER_KEY,
               ZAHNRAD_DISCOURSE_ADMIN_USERNAME=MEMBER)
    vf, _ = run(creds=ADMIN_CREDS, env=env)
    assert vf.complete
    reason = ("only staff see the plugins (Discourse answers 404 to anybody else) "
              f"(HTTP 404 from {BASE}/admin/plugins.json)")
    for fact in ("extensions.installed", "extensions.count", "automation.workflows"):
        assert state(vf, fact) == ("unknown", None, reason)
    assert state(vf, "webhooks.outgoing")[2].startswith("only administrators see the webhooks")


def test_no_plugins_and_no_webhooks_are_clear_answers():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        discourse_server(rs)
        rs.replace(responses.GET, f"{BASE}/admin/plugins.json", json={"plugins": []})
        rs.replace(responses.GET, f"{BASE}/admin/api/web_hooks.json",
                   json=dict(WEB_HOOKS, web_hooks=[], total_rows_web_hooks=0))
        v = Vendor(name="D", platform="discourse", url=BASE, credentials=ADMIN_CREDS)
        vf = probe_vendor(v, discourse(), load_catalog(), environ=ENV)
    assert state(vf, "extensions.count") == ("observed", 0, None)
    assert state(vf, "automation.workflows") == ("observed", False, None)
    assert state(vf, "webhooks.outgoing") == ("observed", True, None)
    assert state(vf, "x-discourse.webhooks_configured") == ("observed", 0, None)


# -- switched off or hidden --------------------------------------------------------------------------
@pytest.mark.parametrize("answer,why", [
    ({"status": 404, "body": "<html><body>Not Found</body></html>", "content_type": "text/html"},
     "no Discourse at this address (site/basic-info.json not found)"),
    ({"status": 200, "body": "<!DOCTYPE html><html><title>SSO</title></html>",
      "content_type": "text/html"}, "was an HTML page"),
    ({"status": 403, "json": {"errors": ["blocked"], "error_type": "invalid_access"}},
     'HTTP 403 from'),
    ({"status": 503, "body": "maintenance", "content_type": "text/plain"}, "HTTP 503 from"),
])
def test_api_hidden_gives_unknowns_with_reasons_never_absences(answer, why):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for path in ("site/basic-info.json", "site.json", "about.json", "admin/plugins.json",
                     "admin/api/web_hooks.json"):
            rs.add(responses.GET, f"{BASE}/{path}", **answer)
        v = Vendor(name="Hidden", platform="discourse", url=BASE, credentials=ADMIN_CREDS,
                   timeout=2.0, deadline=10.0)
        vf = probe_vendor(v, discourse(), load_catalog(), environ=ENV)
    observed = {n: f.value for n, f in vf.facts.items() if f.source == "observed"}
    assert observed == {}, observed
    assert why in state(vf, "site.title")[2]
    assert state(vf, "extensions.installed")[0] == "unknown"
    assert vf.facts["hosting.self_hosted"].source == "declared"


# -- the recording -------------------------------------------------------------------------------------
VENDORS = [  # what the committed recordings hold
    Vendor(name="Discourse (anonymous)", platform="discourse", url=BASE),
    Vendor(name="Discourse (member)", platform="discourse", url=BASE, credentials=MEMBER_CREDS),
    Vendor(name="Discourse (admin)", platform="discourse", url=BASE, credentials=ADMIN_CREDS),
]


def test_recording_is_current_and_free_of_credentials(tmp_path):
    folder = tmp_path / "rec"
    facts = record_probe(VENDORS, folder, routes=discourse_server, env=ENV)
    update_recordings(folder, RECORDINGS)
    assert recorded_exchanges(folder) == recorded_exchanges(RECORDINGS)
    assert_no_secrets(RECORDINGS, (MEMBER_KEY, ADMIN_KEY, MEMBER, ADMIN, "forum.acme.example"))
    assert [v.complete for v in facts.vendors.values()] == [True, True, True]


def test_replay_gives_the_live_facts():
    live, _ = run(creds=ADMIN_CREDS, env=ENV, name="Discourse (admin)")
    v = Vendor(name="Discourse (admin)", platform="discourse", url="https://elsewhere.example",
               credentials=ADMIN_CREDS)
    again = replay_vendor(v, RECORDINGS, discourse())
    assert fact_values(again) == fact_values(live)


def test_conformance_kit_passes(zahnrad_conformance):
    report = zahnrad_conformance("discourse", RECORDINGS)
    report.assert_ok()
    assert set(report.runs) == {"Discourse (anonymous)", "Discourse (member)", "Discourse (admin)"}
