"""Saved drafts, stored with SQLAlchemy 1.4 in 2.0 style (``future=True``).

Callers name a person the way their channel knows them, ``(channel, user_id)``; this
module turns that into the person (see ``schema``), so every query is scoped to one
person and one person's drafts never show up for another, however numbers are guessed.
Each person's drafts carry short numbers of their own (1, 2, 3 …); the global primary key
never leaves this module. Personal fields are encrypted with the person's key
(``crypto``); the database holds only ciphertext for them.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterator, List, Literal, Optional, Tuple, overload

from cryptography.fernet import Fernet
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from bot.lru import remembered
from bot.storage.crypto import KeyError_, KeyRing, seal, unseal
from bot.storage.engine import keyring_from_settings, make_engine, sibling_keyring
from bot.storage.checkins import CheckinRecord, CheckinStoreMixin
from bot.storage.schema import (
    ENCRYPTED_FIELDS,
    Checkin,
    CheckinSettings,
    Draft,
    DraftStatus,
    Identity,
    LinkCode,
    Loved,
    Routine,
    Person,
    now,
)

# Drafts are read on a phone; anything longer than this was not typed as a draft.
MAX_FIELD_CHARS = 4000
LINK_CODE_MINUTES = 10
LINK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread
MAX_WRONG_CODES = 5  # per identity, then a pause:
WRONG_CODE_PAUSE = timedelta(minutes=15)

__all__ = [
    "CheckinRecord",
    "DraftRecord",
    "DraftStatus",
    "DraftStore",
    "LinkResult",
    "StorageUnavailable",
    "make_engine",
]


def _as_utc(moment: datetime) -> datetime:
    """SQLite forgets the time zone it was given; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class DraftRecord:
    """A saved draft as the rest of the code sees it: decrypted, detached from any session."""

    number: int
    channel: str
    created_at: datetime
    updated_at: datetime
    trigger_type: Optional[str]
    situation: Optional[str]
    feeling: Optional[str]
    fear: Optional[str]
    need: Optional[str]
    request: Optional[str]
    text: str
    status: str


class LinkResult(str, enum.Enum):
    linked = "linked"
    wrong = "wrong"
    expired = "expired"
    same_person = "same_person"
    paused = "paused"  # too many wrong codes lately


class StorageUnavailable(RuntimeError):
    """The database could not be reached; callers answer kindly and keep the draft in memory."""


logger = logging.getLogger(__name__)

# Unwrapped person keys kept in memory: the most recently used ones only.
KEY_CACHE_SIZE = 256


def _clip(value: Optional[str]) -> Optional[str]:
    return None if value is None else value[:MAX_FIELD_CHARS]


def _code_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


class DraftStore(CheckinStoreMixin):
    def __init__(
        self, url: str, keyring: Optional[KeyRing] = None, retention_days: Optional[int] = None
    ) -> None:
        self.engine = make_engine(url)
        self.keyring = keyring or sibling_keyring(url)
        self.retention_days = retention_days
        self._schema_ready = False
        self._keys: "OrderedDict[str, Fernet]" = OrderedDict()

    @classmethod
    def from_settings(cls, settings) -> "DraftStore":
        return cls(settings.database_url, keyring_from_settings(settings), settings.retention_days)

    # ------------------------------------------------------------------ plumbing

    def _ensure_schema(self) -> None:
        if not self._schema_ready:
            from bot.storage.migrate import upgrade

            upgrade(self.engine, self.keyring)
            self._schema_ready = True
            if self.retention_days:
                self.apply_retention()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session whose connection failures surface as StorageUnavailable."""
        try:
            self._ensure_schema()
            with Session(self.engine, future=True, expire_on_commit=False) as session:
                yield session
        except (OperationalError, InterfaceError) as error:
            raise StorageUnavailable(error.__class__.__name__) from error

    def _key(self, person_id: str, session: Optional[Session] = None) -> Fernet:
        """The person's key; a new one only for a person with nothing sealed yet (asked in
        ``session``; without one, the caller holds a sealed row of theirs).

        A person whose drafts exist but whose key is missing (the keys database lost or
        pointed elsewhere) or cannot be unwrapped (another server key) is "storage
        unavailable": they get the kind answer, and no new key is made that would hide the
        mistake. What went wrong is logged for whoever hosts Steady, without the person.
        """
        return remembered(
            self._keys, person_id, KEY_CACHE_SIZE, lambda: self._load_key(person_id, session)
        )

    def _load_key(self, person_id: str, session: Optional[Session]) -> Fernet:
        try:
            key = self.keyring.get(person_id)
            if key is None:
                sealed = (
                    session is None
                    or session.execute(
                        select(Draft.id).where(Draft.person_id == person_id).limit(1)
                    ).first()
                )
                if sealed:
                    logger.error(
                        "A person with saved drafts has no key in the keys database: "
                        "is STEADY_KEYS_URL the database that goes with STEADY_DATABASE_URL?"
                    )
                    raise StorageUnavailable("person key missing")
                key = self.keyring.create(person_id)
        except KeyError_ as error:
            logger.error("%s", error)
            raise StorageUnavailable("person key cannot be unwrapped") from error
        except (OperationalError, InterfaceError) as error:
            raise StorageUnavailable(error.__class__.__name__) from error
        return key

    @overload
    def _person(
        self, session: Session, channel: str, user_id: str, create: Literal[True]
    ) -> str: ...

    @overload
    def _person(
        self, session: Session, channel: str, user_id: str, create: bool
    ) -> Optional[str]: ...

    def _person(self, session: Session, channel: str, user_id: str, create: bool) -> Optional[str]:
        person_id = session.execute(
            select(Identity.person_id).where(
                Identity.channel == channel, Identity.user_id == user_id
            )
        ).scalar_one_or_none()
        if person_id is None and create:
            person_id = uuid.uuid4().hex
            session.add(Person(id=person_id))
            session.flush()
            session.add(
                Identity(channel=channel, user_id=user_id, person_id=person_id, failed_codes=0)
            )
            session.flush()
        return person_id

    def _record(self, row: Draft) -> DraftRecord:
        key = self._key(row.person_id)
        fields = {name: unseal(key, getattr(row, name)) for name in ENCRYPTED_FIELDS}
        text = fields.pop("text")
        if text is None:  # the column is NOT NULL
            raise RuntimeError("a stored draft has no text")
        return DraftRecord(
            number=row.number,
            channel=row.channel,
            created_at=_as_utc(row.created_at),
            updated_at=_as_utc(row.updated_at),
            trigger_type=row.trigger_type,
            feeling=row.feeling,
            status=DraftStatus(row.status).value,
            text=text,
            **fields,
        )

    def _mine(self, session: Session, channel: str, user_id: str, number: int) -> Optional[Draft]:
        person_id = self._person(session, channel, user_id, create=False)
        if person_id is None:
            return None
        return session.execute(
            select(Draft).where(Draft.person_id == person_id, Draft.number == number)
        ).scalar_one_or_none()

    # ------------------------------------------------------------------ drafts

    def save_draft(
        self,
        channel: str,
        user_id: str,
        *,
        text: str,
        trigger_type: Optional[str] = None,
        situation: Optional[str] = None,
        feeling: Optional[str] = None,
        fear: Optional[str] = None,
        need: Optional[str] = None,
        request: Optional[str] = None,
        attempts: int = 5,
    ) -> DraftRecord:
        """Store a draft under the person's next number.

        Two saves racing for the same number collide on the unique constraint;
        the loser simply retries with the next number.
        """
        for attempt in range(attempts):
            try:
                with self._session() as session, session.begin():
                    person_id = self._person(session, channel, user_id, create=True)
                    key = self._key(person_id, session)
                    highest = session.execute(
                        select(func.max(Draft.number)).where(Draft.person_id == person_id)
                    ).scalar_one_or_none()
                    row = Draft(
                        person_id=person_id,
                        channel=channel,
                        number=(highest or 0) + 1,
                        trigger_type=trigger_type,
                        feeling=_clip(feeling),
                        status=DraftStatus.draft,
                        text=seal(key, _clip(text) or ""),
                        situation=seal(key, _clip(situation)),
                        fear=seal(key, _clip(fear)),
                        need=seal(key, _clip(need)),
                        request=seal(key, _clip(request)),
                    )
                    session.add(row)
                    session.flush()
                    return self._record(row)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def list_drafts(
        self,
        channel: str,
        user_id: str,
        limit: int = 50,
        status: Optional[str] = None,
        trigger_type: Optional[str] = None,
    ) -> List[DraftRecord]:
        """The person's own drafts, newest first, optionally only one status or trigger."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return []
            query = select(Draft).where(Draft.person_id == person_id)
            if status:
                query = query.where(Draft.status == DraftStatus(status))
            if trigger_type:
                query = query.where(Draft.trigger_type == trigger_type)
            rows = (
                session.execute(
                    query.order_by(Draft.created_at.desc(), Draft.number.desc()).limit(limit)
                )
                .scalars()
                .all()
            )
            return [self._record(row) for row in rows]

    def get_draft(self, channel: str, user_id: str, number: int) -> Optional[DraftRecord]:
        with self._session() as session:
            row = self._mine(session, channel, user_id, number)
            return self._record(row) if row else None

    def update_draft(
        self,
        channel: str,
        user_id: str,
        number: int,
        *,
        text: Optional[str] = None,
        feeling: Optional[str] = None,
        status: Optional[str] = None,
    ) -> Optional[DraftRecord]:
        """Change one of the person's drafts; None if they have no draft with that number."""
        with self._session() as session, session.begin():
            row = self._mine(session, channel, user_id, number)
            if row is None:
                return None
            if text is not None:
                row.text = seal(self._key(row.person_id), _clip(text))
            if feeling is not None:
                row.feeling = _clip(feeling)
            if status is not None:
                row.status = DraftStatus(status)
            row.updated_at = now()
            session.flush()
            return self._record(row)

    def delete_draft(self, channel: str, user_id: str, number: int) -> bool:
        with self._session() as session, session.begin():
            row = self._mine(session, channel, user_id, number)
            if row is None:
                return False
            session.delete(row)
            return True

    def trigger_counts(
        self, channel: str, user_id: str, since: Optional[datetime] = None
    ) -> Dict[Optional[str], int]:
        """How many saved drafts per trigger (since a moment), most frequent first."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return {}
            query = (
                select(Draft.trigger_type, func.count())
                .where(Draft.person_id == person_id)
                .group_by(Draft.trigger_type)
            )
            if since is not None:
                query = query.where(Draft.created_at >= since)
            counts = session.execute(query).all()
        return dict(sorted(counts, key=lambda pair: (-pair[1], pair[0] or "")))

    # ------------------------------------------------- kept per kind: loved list, routines
    # What helps the person feel loved (``Loved``) and the routines they agree on (``Routine``)
    # are one sealed example per kind; a routine also has a status.

    def _keep_per_kind(self, model, channel: str, user_id: str, kind: str, example: str, **extra):
        """One sealed example of ``kind`` (and ``extra`` columns), in place of an earlier one."""
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=True)
            sealed = seal(self._key(person_id, session), _clip(example))
            row = session.execute(
                select(model).where(model.person_id == person_id, model.kind == kind)
            ).scalar_one_or_none()
            if row is None:
                session.add(model(person_id=person_id, kind=kind, example=sealed, **extra))
                return
            row.example = sealed
            for name, value in extra.items():
                setattr(row, name, value)

    def _list_per_kind(self, model, channel: str, user_id: str, *extra) -> List[tuple]:
        """(kind, example, *extra columns) of the person, in the order first given."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return []
            rows = session.execute(
                select(model.kind, model.example, *(getattr(model, name) for name in extra))
                .where(model.person_id == person_id)
                .order_by(model.created_at, model.id)
            ).all()
            if not rows:
                return []
            key = self._key(person_id, session)
        return [(kind, unseal(key, example) or "", *rest) for kind, example, *rest in rows]

    def save_loved(self, channel: str, user_id: str, kind: str, example: str) -> None:
        """Keep the person's own example of one kind (sealed), in place of an earlier one."""
        self._keep_per_kind(Loved, channel, user_id, kind, example)

    def list_loved(self, channel: str, user_id: str) -> List[Tuple[str, str]]:
        """The person's (kind, example) pairs, in the order they were first given."""
        return self._list_per_kind(Loved, channel, user_id)

    def save_routine(self, channel: str, user_id: str, kind: str, example: str) -> None:
        """Keep the person's own description of one routine (sealed), as an idea, in place of
        an earlier one of that kind."""
        self._keep_per_kind(Routine, channel, user_id, kind, example, status="idea")

    def list_routines(self, channel: str, user_id: str) -> List[Tuple[str, str, str]]:
        """The person's (kind, description, status) triples, in the order first given."""
        return self._list_per_kind(Routine, channel, user_id, "status")

    def set_routine_status(self, channel: str, user_id: str, kind: str, status: str) -> bool:
        """Where one routine stands now; False when the person has no routine of that kind."""
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return False
            row = session.execute(
                select(Routine).where(Routine.person_id == person_id, Routine.kind == kind)
            ).scalar_one_or_none()
            if row is None:
                return False
            row.status = status
            return True

    def apply_retention(self) -> int:
        """Delete drafts older than the retention period (off when it is None)."""
        if not self.retention_days:
            return 0
        cutoff = now() - timedelta(days=self.retention_days)
        with self._session() as session, session.begin():
            return session.execute(delete(Draft).where(Draft.created_at < cutoff)).rowcount or 0

    # ------------------------------------------------------------------ people

    def linked_identities(self, channel: str, user_id: str) -> List[Tuple[str, str]]:
        """Every (channel, user_id) that shares this person's drafts, this one included."""
        with self._session() as session:
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return [(channel, user_id)]
            rows = session.execute(
                select(Identity.channel, Identity.user_id).where(Identity.person_id == person_id)
            ).all()
            return [tuple(row) for row in rows]

    def delete_all(self, channel: str, user_id: str) -> int:
        """Remove the person: drafts, what helps them feel loved, their routines, their
        check-ins and their settings, identities, link codes, and their key. Returns #drafts."""
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=False)
            if person_id is None:
                return 0
            count = session.execute(delete(Draft).where(Draft.person_id == person_id)).rowcount or 0
            for model in (Loved, Routine, Checkin, CheckinSettings):
                session.execute(delete(model).where(model.person_id == person_id))
            session.execute(delete(LinkCode).where(LinkCode.person_id == person_id))
            session.execute(delete(Identity).where(Identity.person_id == person_id))
            session.execute(delete(Person).where(Person.id == person_id))
        self._forget_key(person_id)
        return count

    def forget_keys(self) -> None:
        """Drop every unwrapped person key this store holds in memory (a Rasa server keeps
        none between requests: only the action server does)."""
        self._keys.clear()

    def _forget_key(self, person_id: str) -> None:
        self._keys.pop(person_id, None)
        try:
            self.keyring.destroy(person_id)
        except (OperationalError, InterfaceError) as error:
            raise StorageUnavailable(error.__class__.__name__) from error

    # ------------------------------------------------------------------ linking

    def create_link_code(self, channel: str, user_id: str, minutes: int = LINK_CODE_MINUTES) -> str:
        """A one-time code, shown on one side and typed on the other; expires in minutes."""
        code = "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(8))
        with self._session() as session, session.begin():
            person_id = self._person(session, channel, user_id, create=True)
            session.execute(delete(LinkCode).where(LinkCode.person_id == person_id))
            session.add(
                LinkCode(
                    code_hash=_code_hash(code),
                    person_id=person_id,
                    expires_at=now() + timedelta(minutes=minutes),
                )
            )
        return f"{code[:4]}-{code[4:]}"

    def redeem_link_code(self, channel: str, user_id: str, code: str) -> LinkResult:
        """Join this identity (and its drafts) to the person who made the code."""
        with self._session() as session, session.begin():
            me = self._person(session, channel, user_id, create=True)
            identity = session.get(Identity, (channel, user_id))
            moment = now()
            if (
                identity.failed_codes >= MAX_WRONG_CODES
                and identity.failed_at is not None
                and moment - _as_utc(identity.failed_at) < WRONG_CODE_PAUSE
            ):
                return LinkResult.paused
            link = session.get(LinkCode, _code_hash(code))
            if link is None:
                identity.failed_codes = (identity.failed_codes or 0) + 1
                identity.failed_at = moment
                return LinkResult.wrong
            if _as_utc(link.expires_at) < moment:
                session.delete(link)
                return LinkResult.expired
            if link.person_id == me:
                return LinkResult.same_person
            target = link.person_id
            session.delete(link)
            self._merge(session, source=me, target=target)
            identity.failed_codes = 0
        self._forget_key(me)
        return LinkResult.linked

    def _merge(self, session: Session, source: str, target: str) -> None:
        """Move every identity and draft of ``source`` to ``target``, renumbered after theirs,
        and the examples of kinds ``target`` has none of (``target``'s own are kept)."""
        old_key, new_key = self._key(source, session), self._key(target, session)
        highest = (
            session.execute(
                select(func.max(Draft.number)).where(Draft.person_id == target)
            ).scalar_one_or_none()
            or 0
        )
        moving = (
            session.execute(
                select(Draft)
                .where(Draft.person_id == source)
                .order_by(Draft.created_at, Draft.number)
            )
            .scalars()
            .all()
        )
        renumbered: Dict[int, int] = {}
        for offset, row in enumerate(moving, start=1):
            for name in ENCRYPTED_FIELDS:
                setattr(row, name, seal(new_key, unseal(old_key, getattr(row, name))))
            row.person_id = target
            renumbered[row.number] = highest + offset
            row.number = highest + offset
        session.flush()
        # check-ins go where they were asked for, a reminder with its draft's new number; a
        # time zone given on one side is kept
        for checkin in session.execute(
            select(Checkin).where(Checkin.person_id == source)
        ).scalars():
            checkin.person_id = target
            if checkin.draft_number is not None:
                checkin.draft_number = renumbered.get(checkin.draft_number, checkin.draft_number)
        if session.get(CheckinSettings, target) is None:
            session.execute(
                update(CheckinSettings)
                .where(CheckinSettings.person_id == source)
                .values(person_id=target)
            )
        else:
            session.execute(delete(CheckinSettings).where(CheckinSettings.person_id == source))
        for model in (Loved, Routine):
            # both sides gave one of a kind: the linked person's own is kept
            theirs = set(
                session.execute(select(model.kind).where(model.person_id == target)).scalars()
            )
            for row in session.execute(select(model).where(model.person_id == source)).scalars():
                if row.kind in theirs:
                    session.delete(row)
                    continue
                row.example = seal(new_key, unseal(old_key, row.example))
                row.person_id = target
            session.flush()
        for identity in session.execute(
            select(Identity).where(Identity.person_id == source)
        ).scalars():
            identity.person_id = target
        session.flush()
        session.execute(delete(LinkCode).where(LinkCode.person_id == source))
        session.execute(delete(Person).where(Person.id == source))
