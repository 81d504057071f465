"""The README's quick start, the compose file and the Dockerfile say what the project really runs."""

import importlib.util
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.module_loading import import_string

from reports.demo import DEMO_PASSWORD, demo_logins

ROOT = Path(settings.BASE_DIR)


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_readme_quick_start_holds_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Quick start") < readme.index("\n## ", readme.index("## Quick start") + 1)
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", section(readme, "Quick start"), flags=re.M | re.S)
    assert [b.strip() for b in blocks] == ["python3 dev.py run", "python3 dev.py test"]
    dev = (ROOT / "dev.py").read_text(encoding="utf-8")
    assert 'command == "run"' in dev and 'command == "test"' in dev


def test_readme_lists_every_demo_login_and_the_demo_password():
    quick_start = section((ROOT / "README.md").read_text(encoding="utf-8"), "Quick start")
    for username, _role, _sees in demo_logins():
        assert f"`{username}`" in quick_start
    assert DEMO_PASSWORD in quick_start


def test_compose_runs_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    for name, service in services.items():
        assert "healthcheck" in service, name
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "litigation.settings.production"
        assert services[name]["env_file"] == ".env"
    web = " ".join(services["web"]["command"])
    assert web.index("migrate") < web.index("collectstatic") < web.index("gunicorn litigation.wsgi")
    assert services["worker"]["command"][:4] == ["celery", "-A", "litigation", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "litigation", "beat"]
    scheduler = beat[beat.index("--scheduler") + 1]
    assert import_string(scheduler.replace(":", ".")).__name__ == "DatabaseScheduler"
    assert importlib.util.find_spec("litigation.wsgi") is not None


def test_dockerfile_builds_from_slim_python_with_a_cjk_font():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile
    assert "fonts-wqy-microhei" in dockerfile
    assert "pip install ." in dockerfile
