from netraven_lab.terminal import LineDiscipline


def _lines(discipline: LineDiscipline, echo: bool = True) -> list[tuple[str, str | None]]:
    results = []
    while True:
        echo_text, line = discipline.next_line(echo=echo)
        results.append((echo_text, line))
        if line is None:
            return results


class TestLineEnds:
    def test_lf_cr_and_crlf_each_end_one_line(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("one\ntwo\rthree\r\nfour")
        assert _lines(discipline) == [
            ("one\r\n", "one"),
            ("two\r\n", "two"),
            ("three\r\n", "three"),
            ("four", None),
        ]

    def test_crlf_split_across_reads_is_still_one_line_end(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("show run\r")
        assert discipline.next_line(echo=True) == ("show run\r\n", "show run")
        discipline.feed("\nexit\n")
        assert discipline.next_line(echo=True) == ("exit\r\n", "exit")

    def test_unfinished_line_waits_for_more_input(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("sh")
        assert discipline.next_line(echo=True) == ("sh", None)
        discipline.feed("ow\n")
        assert discipline.next_line(echo=True) == ("ow\r\n", "show")


class TestEcho:
    def test_hidden_input_still_echoes_the_line_end(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("s3cret\n")
        assert discipline.next_line(echo=False) == ("\r\n", "s3cret")

    def test_backspace_erases_on_screen_and_in_the_line(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("shx\x7fow\n")
        assert discipline.next_line(echo=True) == ("shx\b \bow\r\n", "show")

    def test_control_characters_are_dropped(self) -> None:
        discipline = LineDiscipline()
        discipline.feed("sh\x07ow\n")
        assert discipline.next_line(echo=True) == ("show\r\n", "show")
