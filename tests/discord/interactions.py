"""INTERACTION_CREATE payloads shaped the way Discord sends them (see fixtures/)."""

from __future__ import annotations

import copy
from typing import Any

from tests.discord.standin import DiscordStandIn, fixture

MEMBER_ID = "1300000000000000010"
RUN_LEADER_ROLE = "1300000000000000201"
ADMINS_ROLE = "1300000000000000202"
# Another server that invited the bot, whose owner made a role named like the moderators'.
OTHER_GUILD = "1300000000000000700"
OTHER_RUN_LEADER_ROLE = "1300000000000000701"
MANAGE_GUILD = 1 << 5

COMMAND = 2
COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
LABEL = 18


class Interactions:
    """Builds interactions from one member in one guild channel, each with a fresh id."""

    def __init__(self, standin: DiscordStandIn) -> None:
        self.standin = standin

    def command(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        user_id: str = MEMBER_ID,
        roles: list[str] | None = None,
        permissions: int | None = None,
        kind: int = COMMAND,
    ) -> dict[str, Any]:
        interaction = self._base(user_id, roles or [], permissions)
        interaction["type"] = kind
        interaction["data"] = {
            "id": self.standin.new_id(),
            "name": name,
            "type": 1,
            "guild_id": interaction["guild_id"],
            "options": options or [],
        }
        return interaction

    def ask(self, question: str, *, ephemeral: bool | None = None) -> dict[str, Any]:
        options: list[dict[str, Any]] = [{"name": "question", "type": 3, "value": question}]
        if ephemeral is not None:
            options.append({"name": "ephemeral", "type": 5, "value": ephemeral})
        return self.command("ask", options)

    def in_direct_message(self, interaction: dict[str, Any]) -> dict[str, Any]:
        """The same interaction sent from a DM with the bot: a user, no guild or member."""
        user = interaction.pop("member")["user"]
        for key in ("guild_id", "guild", "guild_locale"):
            interaction.pop(key, None)
        interaction["data"].pop("guild_id", None)
        interaction["user"] = user
        interaction["context"] = 1
        interaction["channel_id"] = "1300000000000000500"
        interaction["channel"] = {
            "id": "1300000000000000500",
            "type": 1,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user],
        }
        return interaction

    def in_other_guild(self, interaction: dict[str, Any]) -> dict[str, Any]:
        """The same interaction sent from OTHER_GUILD (see `other_guild`)."""
        interaction["guild_id"] = interaction["guild"]["id"] = OTHER_GUILD
        interaction["data"]["guild_id"] = OTHER_GUILD
        interaction["authorizing_integration_owners"] = {"0": OTHER_GUILD}
        channel = other_guild()["channels"][0]
        interaction["channel_id"] = channel["id"]
        interaction["channel"] = {**interaction["channel"], **channel}
        return interaction

    def ask_autocomplete(self, typed: str) -> dict[str, Any]:
        option = {"name": "question", "type": 3, "value": typed, "focused": True}
        return self.command("ask", [option], kind=AUTOCOMPLETE)

    def kb(
        self, subcommand: str, options: list[dict[str, Any]] | None = None, /, **member: Any
    ) -> dict[str, Any]:
        chosen = {"name": subcommand, "type": 1, "options": options or []}
        return self.command("kb", [chosen], **member)

    def click(self, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
        return self._component(message, {"custom_id": custom_id, "component_type": BUTTON})

    def choose(self, message: dict[str, Any], custom_id: str, *values: str) -> dict[str, Any]:
        data = {"custom_id": custom_id, "component_type": STRING_SELECT, "values": list(values)}
        return self._component(message, data)

    def submit(
        self, message: dict[str, Any], custom_id: str, typed: dict[str, str]
    ) -> dict[str, Any]:
        """A form (modal) opened from a button on `message`, submitted with what was typed
        in each text input (by custom_id), each inside a label as Discord sends them."""
        interaction = self._component(message, {"custom_id": custom_id})
        interaction["type"] = MODAL_SUBMIT
        interaction["data"]["components"] = [
            {
                "type": LABEL,
                "id": 2 * number - 1,
                "component": {
                    "type": TEXT_INPUT,
                    "id": 2 * number,
                    "custom_id": key,
                    "value": value,
                },
            }
            for number, (key, value) in enumerate(typed.items(), start=1)
        ]
        return interaction

    def _component(self, message: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        interaction = self._base(MEMBER_ID, [], None)
        interaction["type"] = COMPONENT
        interaction["message"] = copy.deepcopy(message)
        interaction["data"] = data
        return interaction

    def _base(self, user_id: str, roles: list[str], permissions: int | None) -> dict[str, Any]:
        interaction: dict[str, Any] = fixture("interaction_ask.json")
        interaction["id"] = self.standin.new_id()
        interaction["token"] = f"token-{interaction['id']}"
        interaction["member"]["user"]["id"] = user_id
        interaction["member"]["roles"] = roles
        if permissions is not None:
            interaction["member"]["permissions"] = str(permissions)
        return interaction


def other_guild() -> dict[str, Any]:
    """GUILD_CREATE for OTHER_GUILD, with its own "Run Leaders" role."""
    guild: dict[str, Any] = fixture("guild_create.json")
    guild["id"] = OTHER_GUILD
    guild["name"] = "Someone Else's Server"
    everyone, leaders, admins = guild["roles"]
    everyone["id"] = OTHER_GUILD
    leaders["id"] = OTHER_RUN_LEADER_ROLE
    admins["id"] = "1300000000000000702"
    for number, channel in enumerate(guild["channels"], start=1):
        channel["id"] = f"13000000000000007{number}0"
        channel["guild_id"] = OTHER_GUILD
    return guild
