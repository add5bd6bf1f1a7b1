"""Every menu and every action by the name in its URL, for the webhooks (ivr.views): the hotline's,
choosing news calls, and the news call itself."""

from __future__ import annotations

from collections.abc import Callable

from ivr import actions, call_actions, news_call, nodes
from ivr.call import Call, Heard
from ivr.menu import Node
from telephony.voice import VoiceAnswer

NODES: dict[str, Node] = {**nodes.NODES, **news_call.NODES}
ACTIONS: dict[str, Callable[[Call, actions.Line], VoiceAnswer]] = {**actions.ACTIONS, **call_actions.ACTIONS}


def answer(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer what the caller did at node's prompt: on a news call as a news call does."""
    if call.state.news or node.name in news_call.NODES:
        return news_call.respond(node, call, heard)
    return nodes.answer(node, call, heard)
