"""`flask --app app demo`: load demo data into an empty database (never in production)."""

import click
from flask import current_app

from app.content.loader import get_content
from app.demo import services
from app.extensions import db
from app.translog import services as translog
from app.translog import witnessing


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
def demo_command(if_empty: bool) -> None:
    """Load demo municipalities, users and assessments."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    if not services.is_empty():
        if if_empty:
            click.echo("The database already has data; no demo data loaded.")
            return
        raise click.ClickException("The database is not empty; demo data goes only into an empty one.")
    if translog.forget_kept_checkpoint():
        click.echo("The log is empty: the checkpoint kept from an earlier database was removed.")
    summary = services.load_demo(get_content())
    db.session.commit()
    witnessing.witness_latest()
    click.echo(f"Demo data loaded. Log in at /intern/login with one of these (password: {services.DEMO_PASSWORD}):")
    for email, name, role in summary.logins:
        click.echo(f"  {email:32} {name} ({role})")
    for title, status in summary.assessments:
        click.echo(f"  vurdering: {title} – {status}")


@click.command("bench-seed")
@click.option("--n", "count", type=click.IntRange(1, 200_000), required=True, help="How many to publish.")
def bench_seed_command(count: int) -> None:
    """Bulk-create published assessments across 98 municipalities, for benchmarks."""
    from app.demo.bulk import seed_published

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Benchmark data is never loaded in production.")
    translog.forget_kept_checkpoint()
    written = seed_published(count, get_content())
    db.session.commit()
    witnessing.witness_latest()
    click.echo(f"Published {written} benchmark assessments across 98 municipalities.")
