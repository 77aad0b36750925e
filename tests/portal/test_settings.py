"""The production settings module: safe by the deploy checklist, and refuses to start unsafe."""

import os
import secrets
import subprocess
import sys

from tests.helpers import ROOT

PRODUCTION = "portal.settings.production"


# Set by the test run itself (the browser fixture sets the async guard aside); not production's.
TEST_ONLY_VARIABLES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, **env):
    """`manage.py` in a fresh process with production settings and only the given variables."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    environment.update({"DJANGO_SETTINGS_MODULE": PRODUCTION, **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="samverkan.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="samverkan.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def production_cache_backend(**env) -> str:
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="samverkan.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_cache_is_the_database_by_default_and_redis_when_configured():
    assert production_cache_backend() == "django.core.cache.backends.db.DatabaseCache"
    assert (
        production_cache_backend(REDIS_URL="redis://127.0.0.1:6379/0")
        == "django.core.cache.backends.redis.RedisCache"
    )


def test_production_refuses_to_start_with_a_per_process_cache():
    result = manage(
        "check",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="samverkan.example.org",
        DJANGO_SETTINGS_MODULE="tests.portal.locmem_production_settings",
    )
    assert result.returncode != 0
    assert "rate limits would be counted per worker" in result.stderr


def test_make_run_puts_the_port_it_serves_on_into_links_and_feeds():
    """`make run PORT=…` must not leave e-mails pointing at port 8000."""
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    serve = [line for line in plan.splitlines() if "serve.sh" in line]
    assert serve == ["PORTAL_BASE_URL=http://127.0.0.2:8123 bash .ci/serve.sh 127.0.0.2 8123"]
    assert "PORTAL_BASE_URL=http://127.0.0.2:8123 .venv/bin/python manage.py demo_logins" in plan
