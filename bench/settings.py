"""How much load a run sends: the full run of `make bench` and `--quick`."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    quick: bool
    train: bool  # train both assistants (timed) in this run
    single_conversations: int  # conversations of the one user
    users: int  # concurrent users
    conversations_per_user: int
    scale_out: bool  # one against two Rasa servers (PostgreSQL + Redis)
    growth_conversations: int = 3  # long conversations per assistant (bench/growth.py)
    growth_turns: int = 100


FULL = Settings(
    quick=False,
    train=True,
    single_conversations=28,
    users=20,
    conversations_per_user=4,
    scale_out=True,
    growth_conversations=3,
)
QUICK = Settings(
    quick=True,
    train=False,
    single_conversations=7,
    users=6,
    conversations_per_user=2,
    scale_out=True,
    growth_conversations=1,
)
