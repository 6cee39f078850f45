"""Behind a TLS reverse proxy (issue 15, gap 6): ``ancrage serve`` trusts the proxy's
X-Forwarded-Proto when ANCRAGE_TRUSTED_PROXY names it; without that, waitress drops the header and
production redirects every request to HTTPS, forever."""

import io
import re
from pathlib import Path

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from waitress.proxy_headers import proxy_headers_middleware

import ancrage
from ancrage.cli import behind_proxy, proxy_options

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_connection")]


def _get(app, *, remote="127.0.0.1", proto="https"):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sante/",
        "SERVER_NAME": "ancrage.example.org",
        "SERVER_PORT": "80",
        "HTTP_HOST": "ancrage.example.org",
        "REMOTE_ADDR": remote,
        "HTTP_X_FORWARDED_PROTO": proto,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    status = []
    app(environ, lambda s, headers, exc_info=None: status.append((s, dict(headers))))
    return status[0]


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    ALLOWED_HOSTS=["ancrage.example.org"],
)
def test_the_trusted_proxys_https_is_believed_and_hsts_sent():
    options = proxy_options({"ANCRAGE_TRUSTED_PROXY": "127.0.0.1"})
    app = proxy_headers_middleware(
        get_wsgi_application(),
        trusted_proxy=options["trusted_proxy"],
        trusted_proxy_headers=options["trusted_proxy_headers"],
        clear_untrusted=options["clear_untrusted_proxy_headers"],
    )
    status, headers = _get(app)
    assert status.startswith("200")
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Anyone else's header is dropped: a plain HTTP request is sent to HTTPS.
    status, headers = _get(app, remote="203.0.113.9")
    assert status.startswith("301") and headers["Location"].startswith("https://")


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["ancrage.example.org"])
def test_without_a_trusted_proxy_waitress_drops_the_header_and_redirects():
    assert proxy_options({}) == {}
    app = proxy_headers_middleware(get_wsgi_application(), clear_untrusted=True)  # its default
    status, _headers = _get(app)
    assert status.startswith("301")


def test_every_page_forbids_inline_and_foreign_scripts(client):
    response = client.get("/compte/login/")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.text


@override_settings(ANCRAGE_CSP_REPORT_ONLY=True)
def test_the_policy_can_be_tried_in_report_only_mode(client):
    response = client.get("/compte/login/")
    assert "Content-Security-Policy" not in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy-Report-Only"]


def test_the_api_docs_load_their_start_up_script_as_a_file(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and "<script>" not in page.text
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text


def test_no_template_holds_an_inline_script():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
    offenders = [
        str(path)
        for path in Path(ancrage.__file__).parent.rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_htmx_runs_without_eval_under_the_policy(client):
    """htmx's defaults would need 'unsafe-eval' (hx-on, js: values) and inject a <style>: off."""
    page = client.get("/compte/login/")
    assert (
        '<meta name="htmx-config" content=\'{"allowEval": false, "allowScriptTags": false, '
        '"includeIndicatorStyles": false}\'>' in page.text
    )
    assert "unsafe-eval" not in page["Content-Security-Policy"]


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    ALLOWED_HOSTS=["ancrage.example.org"],
)
def test_several_processes_trust_the_same_proxy_and_no_one_else():
    """gunicorn (``--workers N``) would pass any client's X-Forwarded-Proto to Django: the
    application it serves applies waitress's rule first."""
    trusted = behind_proxy(get_wsgi_application(), {"ANCRAGE_TRUSTED_PROXY": "127.0.0.1"})
    status, headers = _get(trusted)
    assert status.startswith("200") and "Strict-Transport-Security" in headers
    status, headers = _get(trusted, remote="203.0.113.9")
    assert status.startswith("301") and headers["Location"].startswith("https://")
    alone = behind_proxy(get_wsgi_application(), {})
    status, _headers = _get(alone)
    assert status.startswith("301")
