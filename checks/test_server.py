"""Server: disk, load and memory of the shop's host, its cron jobs, and its web root's permissions.

These checks read the local machine: they run when the monitor runs on the shop's host, which
is what a [server] section in the config says; without one they are skipped.
"""

import os
import stat
import time

import psutil
import pytest

from runner.clients import webroot
from runner.pytest_plugin import configured
from runner.units import minutes_text

CONFIG_FILES = ("config.php", ".env", "*.ini", "wp-config.php", "*.env")
MAX_LISTED = 10


@pytest.mark.cadence("hourly")
@pytest.mark.area("server")
@pytest.mark.severity("critical")
@pytest.mark.runbook("server")
def test_disk_space_free(settings, measure):
    """The disks holding uploads, logs and the database have free space: a full disk stops orders and corrupts writes."""
    section = configured(settings, "server")
    if not section.disk_paths:
        pytest.skip(f"not configured: no server.disk_paths in {settings.source}")
    limit = settings.thresholds.disk_free_min_percent
    problems = []
    for path in section.disk_paths:
        usage = psutil.disk_usage(str(path))
        free_percent = 100 - usage.percent
        measure(**{f"disk_free_percent[{path}]": free_percent})
        if free_percent < limit:
            problems.append(f"{path}: {free_percent:.1f} % free ({usage.free / 2**30:.1f} GiB) < {limit:g} %")
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("hourly")
@pytest.mark.area("server")
@pytest.mark.severity("warning")
@pytest.mark.runbook("server")
def test_load_per_core(settings, measure):
    """The host's load per CPU core is moderate: an overloaded server answers slowly or not at all."""
    configured(settings, "server")
    cores = psutil.cpu_count() or 1
    load_1, load_5, _ = psutil.getloadavg()
    per_core = load_5 / cores
    measure(load_1=load_1, load_5=load_5, load_per_core=per_core)
    limit = settings.thresholds.load_per_core_max
    assert per_core <= limit, f"load per core {per_core:.2f} (5-min load {load_5:.2f} on {cores} cores) > {limit:g}"


@pytest.mark.cadence("hourly")
@pytest.mark.area("server")
@pytest.mark.severity("warning")
@pytest.mark.runbook("server")
def test_memory_available(settings, measure):
    """The host has memory available: when it runs out, MariaDB or PHP gets killed."""
    configured(settings, "server")
    memory = psutil.virtual_memory()
    available_percent = 100 * memory.available / memory.total
    measure(memory_available_percent=available_percent, memory_available_mib=memory.available / 2**20)
    limit = settings.thresholds.memory_available_min_percent
    assert available_percent >= limit, (
        f"{available_percent:.1f} % memory available ({memory.available / 2**20:.0f} MiB) < {limit:g} %"
    )


@pytest.mark.cadence("hourly")
@pytest.mark.area("server")
@pytest.mark.severity("critical")
@pytest.mark.runbook("server")
def test_scheduled_jobs_ran(settings, measure):
    """Each scheduled job (cleanup, backup, inventory, weekly maintenance) ran within its period: a silent cron stops backups and cleanups."""
    section = configured(settings, "server")
    if section.heartbeat_dir is None:
        pytest.skip(f"not configured: no server.heartbeat_dir in {settings.source}")
    grace = settings.thresholds.heartbeat_grace_minutes
    problems = []
    for job, period in section.jobs.items():
        heartbeat = section.heartbeat_dir / section.heartbeat_pattern.format(job=job)
        if not heartbeat.exists():
            problems.append(f"{job}: never ran (no heartbeat {heartbeat})")
            continue
        age = (time.time() - heartbeat.stat().st_mtime) / 60
        measure(**{f"minutes_since_run[{job}]": age})
        if age > period + grace:
            problems.append(
                f"{job}: last ran {minutes_text(age)} ago > every {minutes_text(period)} + {grace:g} min grace"
            )
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("daily")
@pytest.mark.area("security")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
def test_web_root_permissions(settings, measure):
    """Config files are not world-readable, nothing in the web root is world-writable, no PHP sits among static files: the server's files cannot be read or planted by others."""
    section = configured(settings, "server")
    if section.web_root is None:
        pytest.skip(f"not configured: no server.web_root in {settings.source}")
    root = section.web_root
    readable, writable, seen = [], [], 0
    for path in _walk(root):
        seen += 1
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue  # a link's own mode is always rwxrwxrwx; its target is checked where it lives
        relative = str(path.relative_to(root))
        if mode & stat.S_IWOTH:
            writable.append(f"{relative} ({stat.filemode(mode)})")
        if stat.S_ISREG(mode) and webroot.matches(path.name, CONFIG_FILES) and mode & stat.S_IROTH:
            readable.append(f"{relative} ({stat.filemode(mode)})")
    planted = [found.relative for found in webroot.scan(root).candidates if found.what == webroot.PLANTED_CODE]
    measure(files_checked=seen, world_writable=len(writable), config_world_readable=len(readable))
    problems = [
        f"{label}: {_listed(items)}"
        for label, items in (
            ("config world-readable", readable),
            ("world-writable", writable),
            ("PHP file among static files", planted),
        )
        if items
    ]
    assert not problems, f"{root}: " + "; ".join(problems)


def _walk(root):
    for folder, directories, files in os.walk(root):  # does not follow symlinks
        for name in directories + files:
            yield type(root)(folder) / name


def _listed(items: list[str]) -> str:
    return ", ".join(items[:MAX_LISTED]) + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")
