"""Thai NLP router for Ruamkan: intents, health topics and entities, offline."""

from nlp.community import match_community
from nlp.normalize import normalize
from nlp.router import INTENTS, THRESHOLD, RouteResult, route
from nlp.topics import TOPICS, topic_of

__all__ = ["INTENTS", "THRESHOLD", "TOPICS", "RouteResult", "match_community", "normalize", "route", "topic_of"]
