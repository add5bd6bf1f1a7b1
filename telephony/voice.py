"""What a call hears and may do next, in words of our own: the voice menu builds these, and the
provider's package renders them in its own language (TwiML for Twilio).

The vocabulary is small on purpose: speak, ask for one key or a few words, record a message,
put the caller through, go on elsewhere, hang up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The keys of a telephone keypad.
KEYPAD = frozenset("0123456789*#")


@dataclass(frozen=True)
class Say:
    """Sentences in one language and voice, at a speaking rate, with a pause after each."""

    sentences: tuple[str, ...]
    voice: str
    language: str  # a speech locale, e.g. "de-DE"
    rate: str = "90%"
    pause: str = "350ms"


@dataclass(frozen=True)
class Ask:
    """Say the prompt and wait for one key or a few spoken words; both go to action."""

    action: str
    prompt: tuple[Say, ...]
    language: str  # the language to understand speech in
    hints: str = ""  # words the caller is likely to say, comma-separated
    timeout: int = 8  # seconds of silence before the call goes on to the next command
    # A number of several keys, ended with the hash key (or silence), instead of one key.
    typed_number: bool = False


@dataclass(frozen=True)
class Record:
    """Record a message after a beep; `#` or silence ends it."""

    action: str  # told where the recording is once it ended
    status_callback: str  # told again once the recording is stored at the provider
    longest: int  # seconds
    silence: int = 10  # seconds of silence that end it


@dataclass(frozen=True)
class Connect:
    """Put the caller through to number; action hears how that ended."""

    number: str
    action: str
    timeout: int = 30


@dataclass(frozen=True)
class GoTo:
    """Go on at another step of the call, at once."""

    url: str


@dataclass(frozen=True)
class HangUp:
    """End the call."""


Command = Say | Ask | Record | Connect | GoTo | HangUp


@dataclass
class VoiceAnswer:
    """The answer to one step of a call: commands carried out in order."""

    commands: list[Command] = field(default_factory=list)

    def add(self, *commands: Command) -> VoiceAnswer:
        self.commands.extend(commands)
        return self

    @property
    def spoken(self) -> str:
        """Everything said in this answer, prompts included, as plain text."""
        says: list[Say] = []
        for command in self.commands:
            says.extend(command.prompt if isinstance(command, Ask) else [command] if isinstance(command, Say) else [])
        return " ".join(sentence for say in says for sentence in say.sentences)
