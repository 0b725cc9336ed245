"""The terminal line discipline: keystrokes in, typed lines and their echo out."""

_BACKSPACES = ("\x08", "\x7f")


class LineDiscipline:
    """Splits input on CR, LF or CRLF and echoes what a terminal would show while typing."""

    def __init__(self) -> None:
        self._pending = ""
        self._typed: list[str] = []
        self._after_cr = False

    def feed(self, data: str) -> None:
        self._pending += data

    def next_line(self, echo: bool) -> tuple[str, str | None]:
        """Consume input up to the next line end: (echo to print, the line or None if unfinished).

        echo is asked per line because the reply to one line (enable's password prompt)
        decides whether the next line is shown.
        """
        shown: list[str] = []
        for index, char in enumerate(self._pending):
            swallow = char == "\n" and self._after_cr
            self._after_cr = char == "\r"
            if swallow:
                continue
            if char in "\r\n":
                self._pending = self._pending[index + 1 :]
                line = "".join(self._typed)
                self._typed = []
                shown.append("\r\n")
                return "".join(shown), line
            if char in _BACKSPACES:
                if self._typed:
                    self._typed.pop()
                    if echo:
                        shown.append("\b \b")
            elif char.isprintable():
                self._typed.append(char)
                if echo:
                    shown.append(char)
        self._pending = ""
        return "".join(shown), None
