"""`--demo`: the built-in demo account (a seeded moto server) behind `scan` and `collect`, reached through the same
code path as a real account."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mlaudit.cli.console import Terminal
from mlaudit.core.errors import UserError
from mlaudit.scan import ScanOptions


@contextmanager
def demo_account(options: ScanOptions, terminal: Terminal) -> Iterator[None]:
    """Serve and seed the demo account (showing the seeding's progress), and point `options` at it while the
    block runs."""
    if options.profile or options.endpoint_url or options.accounts.role_arn or options.accounts.org:
        raise UserError(
            "--demo uses the built-in demo account: it takes no --profile, --endpoint-url, --role-arn or --org"
        )
    try:
        import moto.moto_server.werkzeug_app  # noqa: F401 - the demo extra: moto and its server's dependencies

        from mlaudit.demo.estate import seed
        from mlaudit.demo.server import DEMO_REGIONS, demo_session, moto_server
    except ImportError as exc:
        missing = (exc.name or "moto").split(".")[0]
        raise UserError(f"--demo needs {missing}, which is not installed", hint="pip install 'mlaudit[demo]'") from exc
    unknown = [r for r in options.regions if r not in DEMO_REGIONS]
    if unknown:
        raise UserError(f"--region: the demo account has only {', '.join(DEMO_REGIONS)}")
    options.regions = options.regions or list(DEMO_REGIONS)
    with moto_server() as url:
        terminal.line(f"Demo account: a seeded ML estate served by moto at {url}")
        with terminal.seeding_progress() as progress:
            seed(demo_session(), url, progress)
        options.endpoint_url = url
        options.session = demo_session()
        yield
