"""getCourse's direct route (kit/routing.py DirectRoute) answers exactly as the declared FastAPI operation does, and
leaves it every request it does not take: the same requests to a service with the direct route and to one without
get the same status, headers and bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from coursehost.app import create_app
from coursehost.config import Settings
from coursehost.kit.routing import DirectRoute
from tests.integration.conftest import Api, basic
from tests.security.conftest import bearer, get_token
from tests.support.packages import ScormPackage

LOM = (
    '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">Catalogued</string></title>'
    "<keyword><string>k1</string></keyword></general></lom>"
)


@pytest.fixture
def without_direct_routes(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    app.router.routes[:] = [route for route in app.router.routes if not isinstance(route, DirectRoute)]
    with TestClient(app) as client:
        yield client


def served_directly(app: FastAPI) -> list[str]:
    """Wraps the app's direct routes; the list fills with the paths they answer."""
    seen: list[str] = []
    for route in app.router.routes:
        if isinstance(route, DirectRoute):
            handler = route.handler

            def counting(
                request: Request, path: Mapping[str, Any], flags: Mapping[str, bool], handler: Any = handler
            ) -> Any:
                seen.append(request.url.path)
                return handler(request, path, flags)

            route.handler = counting
    return seen


def test_the_direct_route_answers_as_the_declared_operation(
    client: TestClient, without_direct_routes: TestClient, api: Api, make_app: Callable[[str], dict[str, str]]
) -> None:
    api.import_course("plain", ScormPackage(title="Plain").to_bytes())
    api.import_course("a/b c", ScormPackage(title="Slashed", metadata=LOM).to_bytes())
    api.request("PUT", "/courses/plain/tags", json={"tags": ["zeta", "alpha", "Mid"]})
    other = make_app("other")
    other_api = Api(client, other)
    other_api.import_course("theirs", ScormPackage(title="Theirs").to_bytes())
    token = get_token(client, api.headers, "read:course")
    writer = get_token(client, api.headers, "write:course")
    seen = served_directly(client.app)  # type: ignore[arg-type]

    own = api.headers
    requests: list[tuple[str, dict[str, str], bool]] = [
        # (path, headers, whether the direct route takes it)
        ("/api/v2/courses/plain", own, True),
        ("/api/v2/courses/plain?includeRegistrationCount=true", own, True),
        ("/api/v2/courses/a%2Fb%20c?includeCourseMetadata=true", own, True),
        ("/api/v2/courses/a%2Fb%20c?includeCourseMetadata=false&includeRegistrationCount=false", own, True),
        ("/api/v2/courses/missing", own, True),
        ("/api/v2/courses/theirs", own, True),
        ("/api/v2/courses/plain", bearer(token), True),
        ("/api/v2/courses/plain", bearer(writer), True),
        ("/api/v2/courses/plain", {}, True),
        ("/api/v2/courses/plain", basic(api.app_id, "wrong"), True),
        ("/api/v2/courses/plain", {"Authorization": "Basic !!!"}, True),
        # Left to the declared route: other spellings, repeats, unknown parameters, a NUL.
        ("/api/v2/courses/a%2Fb%20c?includeCourseMetadata=True", own, False),
        ("/api/v2/courses/plain?includeCourseMetadata=1", own, False),
        ("/api/v2/courses/plain?includeCourseMetadata=maybe", own, False),
        ("/api/v2/courses/plain?includeCourseMetadata=true&includeCourseMetadata=false", own, False),
        ("/api/v2/courses/plain?somethingElse=1", own, False),
        ("/api/v2/courses/pl%00ain", own, False),
        ("/api/v2//courses/plain", own, True),  # the official client's double slash, normalised before routing
    ]
    for path, headers, direct in requests:
        before = len(seen)
        answers = [target.get(path, headers=headers) for target in (client, without_direct_routes)]
        assert len(seen) - before == (1 if direct else 0), path
        first, second = answers
        assert (first.status_code, first.content) == (second.status_code, second.content), path
        assert first.headers.items() == second.headers.items(), path

    # Only GET: any other method goes to the declared routes (which answer HEAD with 405, as before).
    before = len(seen)
    heads = [target.head("/api/v2/courses/plain", headers=own) for target in (client, without_direct_routes)]
    assert (heads[0].status_code, heads[0].headers.items()) == (heads[1].status_code, heads[1].headers.items())
    assert len(seen) == before


def test_the_declared_operation_is_still_documented(client: TestClient) -> None:
    operation = client.get("/api/v2/openapi.json").json()["paths"]["/api/v2/courses/{courseId}"]["get"]
    assert operation["operationId"] == "getCourse"
    assert {p["name"] for p in operation["parameters"]} == {
        "courseId",
        "includeRegistrationCount",
        "includeCourseMetadata",
    }
    assert "CourseSchema" in str(operation["responses"]["200"])
