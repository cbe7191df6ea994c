"""Every signed-in page of the portal, and a register to show them against at any size.

One list, shared by tests/test_signed_in_page_queries.py (SQL queries at two data sizes) and
bench/signed_in_pages.py (server time and throughput), so both cover the same pages:

- `build_world()` makes one of everything through the services, as the pages would: a
  provider P with locations A and B, its nominated individual ("ni", who also holds a second
  provider), the registered manager of A ("rm"), a delegated member with every access level
  at A and B who is also a member elsewhere ("delegate"), regulator staff ("staff"), team
  members, an invitation, requests to join, notifications (with a question, something still
  owed and a change waiting for a staff decision), drafts, register roles and a second
  factor reset request.
- `add_volume(world, Volume(...))` adds many more of each, in bulk, around the same people:
  providers, locations, registered people, notifications, thread messages, drafts, members,
  invitations, requests to join, audit events and reset requests.
- `get_visits(world)` lists a GET of every signed-in page by each kind of user it is for
  (provider-side pages as the nominated individual, the registered manager and the delegate).
- `post_actions()` lists the main POST of each page; each makes its own fresh objects, so it
  can be repeated at any size.
- `EXCLUDED` names the URLs left out, each with the reason.

This module is the one place the tests and benchmarks import them from; they are written in
signed_in_world (the world), signed_in_volume (the volume), signed_in_visits (the GETs, the
exclusions and measuring) and signed_in_posts (the POSTs).
"""

from tests.factories.accounts import make_user
from tests.support.signed_in_posts import PostAction, post_actions
from tests.support.signed_in_visits import (
    EXCLUDED,
    NOW,
    Measured,
    Visit,
    get_visits,
    measure,
    sign_in,
    url_of,
)
from tests.support.signed_in_volume import Volume, add_volume
from tests.support.signed_in_world import World, build_world, second_factors

__all__ = [
    "EXCLUDED",
    "NOW",
    "Measured",
    "PostAction",
    "Visit",
    "Volume",
    "World",
    "add_volume",
    "build_world",
    "get_visits",
    "make_user",
    "measure",
    "post_actions",
    "second_factors",
    "sign_in",
    "url_of",
]
