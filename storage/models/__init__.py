"""All models, importable from one place: ``from storage.models import User``."""

from storage.models.activities import SIGNUP_STATUSES, Activity, ActivityFeedback, Signup
from storage.models.base import Base, UTCDateTime, utcnow
from storage.models.charter import (
    STANCES,
    Charter,
    CharterClause,
    CharterSection,
    ClauseFeedback,
    HearingRound,
)
from storage.models.contact import ContactMessage
from storage.models.core import ROLES, Community, Conversation, RichMenuRecord, RoleCode, User, WebhookEvent
from storage.models.ideas import IDEA_STATUSES, Idea, IdeaDraft, IdeaEvent, IdeaPhoto
from storage.models.outbox import CATEGORIES, Broadcast, OutboxMessage, SchedulerLease
from storage.models.photos import PHOTO_STATUSES, BroadcastPhoto, FetchedPhoto

__all__ = [
    "Activity", "ActivityFeedback", "Base", "Broadcast", "BroadcastPhoto", "CATEGORIES", "Charter", "CharterClause",
    "CharterSection", "ClauseFeedback", "Community", "ContactMessage", "Conversation", "FetchedPhoto", "HearingRound", "IDEA_STATUSES", "Idea",
    "IdeaDraft", "IdeaEvent", "IdeaPhoto", "OutboxMessage", "PHOTO_STATUSES", "ROLES", "RichMenuRecord", "RoleCode", "SIGNUP_STATUSES", "STANCES", "SchedulerLease", "Signup",
    "User", "UTCDateTime", "WebhookEvent", "utcnow",
]
