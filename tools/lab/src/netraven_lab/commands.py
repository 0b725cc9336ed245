"""The exec-mode grammar: which commands exist, how far IOS lets you abbreviate them."""

import re
from dataclasses import dataclass
from enum import Enum, auto


class Action(Enum):
    ENABLE = auto()
    DISABLE = auto()
    EXIT = auto()
    TERMINAL = auto()
    SHOW_RUNNING_CONFIG = auto()
    SHOW_VERSION = auto()
    SHOW_INVENTORY = auto()


@dataclass(frozen=True)
class Keyword:
    name: str
    shortest: int  # a shorter abbreviation collides with a real IOS keyword we do not model

    def accepts(self, word: str) -> bool:
        return len(word) >= self.shortest and self.name.startswith(word.lower())

    def too_short_for(self, word: str) -> bool:
        return self.name.startswith(word.lower()) and len(word) < self.shortest


@dataclass(frozen=True)
class Number:
    low: int
    high: int

    def accepts(self, word: str) -> bool:
        return word.isdigit() and self.low <= int(word) <= self.high


class AnyWords:
    """One or more words, whatever they are."""

    def accepts(self, word: str) -> bool:
        return True


Token = Keyword | Number | AnyWords


@dataclass(frozen=True)
class Command:
    tokens: tuple[Token, ...]
    action: Action

    def token_at(self, index: int) -> Token | None:
        if index < len(self.tokens):
            return self.tokens[index]
        if isinstance(self.tokens[-1], AnyWords):
            return self.tokens[-1]
        return None


@dataclass(frozen=True)
class InvalidInput:
    column: int  # where in the typed line IOS puts its caret


class AmbiguousCommand:
    pass


class IncompleteCommand:
    pass


ParseResult = Action | InvalidInput | AmbiguousCommand | IncompleteCommand

_TERMINAL = Keyword("terminal", 3)
_SHOW = Keyword("show", 2)

USER_EXEC = (
    Command((Keyword("enable", 2),), Action.ENABLE),
    Command((Keyword("exit", 2),), Action.EXIT),
    Command((Keyword("logout", 4),), Action.EXIT),
    Command((_TERMINAL, Keyword("length", 3), Number(0, 512)), Action.TERMINAL),
    Command((_TERMINAL, Keyword("width", 1), Number(0, 512)), Action.TERMINAL),
    Command((_TERMINAL, Keyword("no", 2), AnyWords()), Action.TERMINAL),
    Command((_SHOW, Keyword("version", 2)), Action.SHOW_VERSION),
    Command((_SHOW, Keyword("inventory", 3)), Action.SHOW_INVENTORY),
)

PRIVILEGED_EXEC = USER_EXEC + (
    Command((Keyword("disable", 4),), Action.DISABLE),
    Command((_SHOW, Keyword("running-config", 2)), Action.SHOW_RUNNING_CONFIG),
)


def parse(line: str, commands: tuple[Command, ...]) -> ParseResult:
    """Match a non-blank line word by word, the way IOS reports the first word it cannot take."""
    words = list(re.finditer(r"\S+", line))
    alive = commands
    for index, word in enumerate(words):
        tokens = [(command, command.token_at(index)) for command in alive]
        matched = tuple(cmd for cmd, token in tokens if token and token.accepts(word[0]))
        if not matched:
            if any(isinstance(t, Keyword) and t.too_short_for(word[0]) for _, t in tokens):
                return AmbiguousCommand()
            return InvalidInput(column=word.start())
        alive = matched
    complete = [command for command in alive if len(command.tokens) <= len(words)]
    return complete[0].action if complete else IncompleteCommand()
