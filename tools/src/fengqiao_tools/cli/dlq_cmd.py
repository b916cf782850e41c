"""`fengqiao dlq list|replay`: read dead letters and send one back to where it came from."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.table import Table

from fengqiao.messaging.dlq import read_dead_letters
from fengqiao.messaging.producer import EventProducer
from fengqiao_tools.infra.credentials import operator_kafka

app = typer.Typer(help="Dead letters: records that could not be applied, with the reason.")
console = Console()


@app.command("list")
def list_letters(limit: int = typer.Option(100, help="at most this many")) -> None:
    """List dead letters: when, why, from which topic and group."""
    letters = asyncio.run(read_dead_letters(operator_kafka(), limit))
    table = Table("position", "time", "reason", "topic", "group", "attempts", "detail")
    for letter in letters:
        table.add_row(
            letter.position,
            letter.time,
            letter.reason,
            letter.topic,
            letter.group,
            str(letter.attempts),
            letter.detail[:80],
        )
    console.print(table)


@app.command()
def replay(
    position: str = typer.Argument(..., help="dlq-topic:partition:offset, as `dlq list` shows"),
) -> None:
    """Send one dead letter back to its original topic, unchanged, after a fix."""

    async def run() -> str:
        kafka = operator_kafka()
        letters = await read_dead_letters(kafka, limit=1_000_000)
        match = [letter for letter in letters if letter.position == position]
        if not match:
            return ""
        letter = match[0]
        async with EventProducer(kafka, client_id="fengqiao-dlq-replay") as producer:
            await producer.publish_raw(
                letter.topic, key=letter.key, value=letter.value, headers=letter.headers
            )
        return letter.topic

    topic = asyncio.run(run())
    if not topic:
        console.print(f"[red]no dead letter at {position}[/]")
        raise typer.Exit(1)
    console.print(f"replayed {position} to {topic}")
