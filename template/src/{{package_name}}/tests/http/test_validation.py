"""The core's validation primitives: strict, bounded, closed, and safe to store and show."""

from typing import Any

import httpx
import pytest
from pydantic import ConfigDict, TypeAdapter, ValidationError

from ...core.validation import (
    DESCRIPTION_MAX_LENGTH,
    Description,
    Email,
    PublicHttpsUrl,
    RequestModel,
    Title,
    clean_markup,
)
from ..helpers import assert_problem

# Request models validate strictly; the type holds in lax models too.
URL_ADAPTERS = {
    "strict": TypeAdapter(PublicHttpsUrl, config=ConfigDict(strict=True)),
    "lax": TypeAdapter(PublicHttpsUrl),
}
TITLE = TypeAdapter(Title)
DESCRIPTION = TypeAdapter(Description)
EMAIL = TypeAdapter(Email)

REFUSED_URLS = [
    "http://example.com/",
    "ftp://example.com/",
    "javascript:alert(1)",
    "https://user:secret@example.com/",  # pragma: allowlist secret
    "https://user@example.com/",
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
    "https://%6c%6fcalhost/",
    "https://intranet/",
    "https://printer.local/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://0x7f.1/",
    "https://0177.0.0.1/",
    "https://127.0.0.1./",
    "https://0/",
    "https://0.0.0.0/",
    "https://10.0.0.1/",
    "https://172.16.5.4/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://100.100.100.200/",
    "https://224.0.0.1/",
    "https://255.255.255.255/",
    "https://[::1]/",
    "https://[::]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::7f00:1]/",
    "https://[2002:7f00:1::]/",
    "https://[fe80::1]/",
    "https://[fd00:ec2::254]/",
    "https://[fc00::1]/",
    "https://[ff02::1]/",
    "https://example.com/" + "a" * 2048,
    "not a url",
]
ACCEPTED_URLS = [
    "https://example.com/",
    "https://example.com:8443/path?q=1#frag",
    "https://sub.example.co.uk/",
    "https://93.184.215.14/",
    "https://[2606:4700:4700::1111]/",
    "https://exämple.com/",
]


@pytest.mark.parametrize("mode", sorted(URL_ADAPTERS))
@pytest.mark.parametrize("url", REFUSED_URLS)
def test_url_to_a_non_public_or_non_https_target_is_refused(mode: str, url: str) -> None:
    with pytest.raises(ValidationError):
        URL_ADAPTERS[mode].validate_python(url)


@pytest.mark.parametrize("mode", sorted(URL_ADAPTERS))
@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_https_url_to_a_public_host_is_accepted(mode: str, url: str) -> None:
    assert str(URL_ADAPTERS[mode].validate_python(url)).startswith("https://")


@pytest.mark.parametrize(
    "title", ["", " ", "x" * 201, "a\x00b", "a\nb", "a\rb", "\x1b[2J", "\ud800", 5]
)
def test_invalid_titles_are_refused(title: object) -> None:
    with pytest.raises(ValidationError):
        TITLE.validate_python(title)


def test_title_is_trimmed_and_keeps_unicode() -> None:
    assert TITLE.validate_python("  Café 👩‍💻 plan  ") == "Café 👩‍💻 plan"


def test_description_keeps_line_breaks_and_refuses_other_controls() -> None:
    assert DESCRIPTION.validate_python("line one\nline two\tend") == "line one\nline two\tend"
    with pytest.raises(ValidationError):
        DESCRIPTION.validate_python("a\x00b")
    with pytest.raises(ValidationError):
        DESCRIPTION.validate_python("x" * (DESCRIPTION_MAX_LENGTH + 1))


def test_description_that_grows_past_its_limit_when_cleaned_is_refused() -> None:
    with pytest.raises(ValidationError, match="once cleaned"):
        DESCRIPTION.validate_python("&" * DESCRIPTION_MAX_LENGTH)


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<iframe src="https://evil.example"></iframe>',
        '<p onclick="alert(1)">x</p>',
        "<scr<script>ipt>alert(1)</script>",
        "<style>body{}</style>",
    ],
)
def test_markup_is_cleaned_of_anything_active(markup: str) -> None:
    cleaned = clean_markup(markup)

    for dangerous in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "<svg"):
        assert dangerous not in cleaned.lower()


def test_markup_keeps_simple_formatting_and_safe_links() -> None:
    cleaned = clean_markup('<p><strong>Hi</strong> <a href="https://example.com">there</a></p>')

    assert "<strong>Hi</strong>" in cleaned
    assert 'href="https://example.com"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


@pytest.mark.parametrize("email", ["not-an-email", "a@localhost", "@example.com", "x" * 321])
def test_invalid_emails_are_refused(email: str) -> None:
    with pytest.raises(ValidationError):
        EMAIL.validate_python(email)


class Strict(RequestModel):
    count: int
    flag: bool


@pytest.mark.parametrize(
    "body", [{"count": "1", "flag": True}, {"count": 1, "flag": "true"}, {"count": 1, "flag": 1}]
)
def test_request_models_are_strict(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Strict.model_validate(body)


def test_request_models_refuse_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Strict.model_validate({"count": 1, "flag": True, "role": "admin"})


# The same rules, seen over HTTP through the probe, whose model uses these primitives.


def echo(client: httpx.Client, **fields: object) -> httpx.Response:
    return client.post("/_probe/echo", json={"name": "probe", "count": 1, **fields})


def test_private_or_plain_http_link_is_422_without_echo(client: httpx.Client) -> None:
    for url in ("http://example.com/", "https://[::ffff:127.0.0.1]/", "https://2130706433/"):
        response = echo(client, link=url)
        body = assert_problem(response, 422)
        assert [error["loc"] for error in body["errors"]] == [["body", "link"]]
        assert url not in response.text


def test_public_link_is_stored_in_canonical_form(client: httpx.Client) -> None:
    response = echo(client, link="HTTPS://Example.COM/a%20b")

    assert response.json()["link"] == "https://example.com/a%20b"


def test_script_tags_do_not_come_back(client: httpx.Client) -> None:
    response = echo(client, description="<p>ok</p><script>alert('x')</script><b onclick=x>b</b>")

    assert response.status_code == 200
    description = response.json()["description"]
    assert "<script" not in description
    assert "alert" not in description
    assert "onclick" not in description
    assert "<p>ok</p>" in description
