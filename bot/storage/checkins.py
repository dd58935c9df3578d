"""Check-ins that come back, stored (the drafts store mixes this in: ``DraftStore``).

Each due check-in is delivered by exactly one server however many run: a server *claims*
it with one conditional UPDATE (pending and due -> sending, by this server), which only one
of any number of servers can win on SQLite (one writer at a time) and on PostgreSQL (the
loser's UPDATE waits for the winner's, then finds the row no longer pending). After
delivery the row is marked sent (a weekly one goes back to pending, a week on). A server
that dies between claim and delivery leaves the row "sending": after ``LEASE`` any server
may claim it again, so a crash delays a check-in and never loses it.

The rows hold no words of the person's: a draft is named by its number, and its (sealed)
text is read only when the reminder goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import and_, delete, or_, select, update

from bot.storage.schema import Checkin, CheckinSettings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LEASE = timedelta(minutes=10)
PENDING, SENDING, SENT = "pending", "sending", "sent"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    kind: str
    draft_number: Optional[int]
    due_at: datetime  # UTC
    channel: str
    user_id: str
    zone: Optional[str]
    quiet: Tuple[int, int]


class CheckinStoreMixin:
    """Check-in storage on the drafts store's sessions and people (``DraftStore``)."""

    # provided by DraftStore (annotations only: nothing here overrides them)
    _session: Callable[[], Any]
    _person: Callable[..., Optional[str]]

    # ------------------------------------------------------------------ settings

    def checkin_settings(self, channel: str, user_id: str) -> Optional[Tuple[str, int, int]]:
        """(zone, quiet from, quiet to) the person gave, or None: not asked yet."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return None
            row = session.get(CheckinSettings, person_id)
            return None if row is None else (row.zone, row.quiet_from, row.quiet_to)

    def set_checkin_settings(
        self, channel: str, user_id: str, zone: str, quiet: Tuple[int, int]
    ) -> None:
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=True)
            row = session.get(CheckinSettings, person_id)
            if row is None:
                session.add(
                    CheckinSettings(
                        person_id=person_id, zone=zone, quiet_from=quiet[0], quiet_to=quiet[1]
                    )
                )
            else:
                row.zone, row.quiet_from, row.quiet_to = zone, quiet[0], quiet[1]

    # ------------------------------------------------------------------ the person's own

    def add_checkin(
        self,
        channel: str,
        user_id: str,
        kind: str,
        due_at: datetime,
        draft_number: Optional[int] = None,
    ) -> None:
        """Keep a check-in; it replaces a pending one of the same kind (and draft)."""
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=True)
            session.execute(
                delete(Checkin).where(
                    Checkin.person_id == person_id,
                    Checkin.kind == kind,
                    Checkin.status == PENDING,
                    (Checkin.draft_number == draft_number)
                    if draft_number is not None
                    else Checkin.draft_number.is_(None),
                )
            )
            session.add(
                Checkin(
                    person_id=person_id,
                    channel=channel,
                    user_id=user_id,
                    kind=kind,
                    draft_number=draft_number,
                    due_at=_utc(due_at).astimezone(timezone.utc),
                    status=PENDING,
                )
            )

    def list_checkins(self, channel: str, user_id: str) -> List[CheckinRecord]:
        """The person's check-ins still to come, soonest first."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return []
            rows = (
                session.execute(
                    select(Checkin)
                    .where(Checkin.person_id == person_id, Checkin.status != SENT)
                    .order_by(Checkin.due_at, Checkin.id)
                )
                .scalars()
                .all()
            )
            return [self._checkin_record(session, row) for row in rows]

    def stop_checkins(self, channel: str, user_id: str) -> int:
        """Every check-in of the person still to come is gone; how many there were."""
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return 0
            return (
                session.execute(
                    delete(Checkin).where(Checkin.person_id == person_id, Checkin.status != SENT)
                ).rowcount
                or 0
            )

    # ------------------------------------------------------------------ delivery

    def _checkin_record(self, session: "Session", row: Checkin) -> CheckinRecord:
        found = session.get(CheckinSettings, row.person_id)
        return CheckinRecord(
            id=row.id,
            kind=row.kind,
            draft_number=row.draft_number,
            due_at=_utc(row.due_at),
            channel=row.channel,
            user_id=row.user_id,
            zone=found.zone if found else None,
            quiet=(found.quiet_from, found.quiet_to) if found else (22, 8),
        )

    def claim_due(
        self,
        now: datetime,
        worker: str,
        channels: Optional[Sequence[str]] = None,
        identity: Optional[Tuple[str, str]] = None,
        limit: int = 20,
    ) -> List[CheckinRecord]:
        """The due check-ins this server (``worker``) now owns, for ``channels`` or for one
        ``identity`` (a person's visit); none that another server claimed."""
        now = _utc(now)
        claimable = and_(
            Checkin.due_at <= now,
            or_(
                Checkin.status == PENDING,
                and_(Checkin.status == SENDING, Checkin.claimed_at < now - LEASE),
            ),
        )
        query = select(Checkin.id).where(claimable)
        if channels is not None:
            query = query.where(Checkin.channel.in_(list(channels)))
        if identity is not None:
            query = query.where(Checkin.channel == identity[0], Checkin.user_id == identity[1])
        with self._session() as session:
            ids: Iterable[int] = (
                session.execute(query.order_by(Checkin.due_at, Checkin.id).limit(limit))
                .scalars()
                .all()
            )
        claimed: List[CheckinRecord] = []
        for checkin_id in ids:
            with self._session() as session, session.begin():
                won = session.execute(
                    update(Checkin)
                    .where(Checkin.id == checkin_id, claimable)
                    .values(status=SENDING, claimed_by=worker, claimed_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won == 1:
                    row = session.get(Checkin, checkin_id)
                    if row is not None:
                        claimed.append(self._checkin_record(session, row))
        return claimed

    def finish_checkin(
        self, checkin_id: int, worker: str, next_due: Optional[datetime] = None
    ) -> None:
        """Delivered: sent, or (a weekly one) pending again at ``next_due``."""
        values = (
            dict(status=PENDING, due_at=_utc(next_due), claimed_by=None, claimed_at=None)
            if next_due is not None
            else dict(status=SENT)
        )
        with self._session() as session, session.begin():
            session.execute(
                update(Checkin)
                .where(Checkin.id == checkin_id, Checkin.claimed_by == worker)
                .values(sent_at=datetime.now(timezone.utc), **values)
                .execution_options(synchronize_session=False)
            )

    def release_checkin(self, checkin_id: int, worker: str) -> None:
        """Not delivered (the channel failed for now): any server may try it again."""
        with self._session() as session, session.begin():
            session.execute(
                update(Checkin)
                .where(Checkin.id == checkin_id, Checkin.claimed_by == worker)
                .values(status=PENDING, claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False)
            )

    def sent_checkins(self, channel: str, user_id: str) -> int:
        """How many of the person's check-ins have been delivered."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return 0
            return len(
                session.execute(
                    select(Checkin.id).where(
                        Checkin.person_id == person_id,
                        or_(Checkin.status == SENT, Checkin.sent_at.is_not(None)),
                    )
                ).all()
            )
