"""The pure text helpers behind config diff and search."""

from netraven_gitkeeper.search import MAX_LINE_CHARS, count_changes, find_matches


class TestCountChanges:
    def test_headers_are_not_changes_but_lines_that_look_like_them_are(self) -> None:
        diff = (
            "diff --git a/r.cfg b/r.cfg\n--- a/r.cfg\n+++ b/r.cfg\n@@ -1,2 "
            "+1,2 @@\n--- old banner\n+++ new banner\n+extra\n same\n"
        )
        assert count_changes(diff) == (2, 1)

    def test_an_empty_diff_has_no_changes(self) -> None:
        assert count_changes("") == (0, 0)


class TestFindMatches:
    def test_context_stops_at_the_edges_of_the_text(self) -> None:
        [first, last] = find_matches("NTP a\nb\nc\nntp d", "ntp", 10)[0]
        assert (first.line_number, first.before, first.after) == (1, [], ["b", "c"])
        assert (last.line_number, last.before, last.after) == (4, ["b", "c"], [])

    def test_stops_at_the_limit_and_says_more_were_left(self) -> None:
        matches, more = find_matches("x1\nx2\nx3\n", "x", 2)
        assert [m.line for m in matches] == ["x1", "x2"] and more
        assert find_matches("x1\nx2\n", "x", 2)[1] is False

    def test_a_long_line_matches_beyond_the_cut_and_is_shown_cut(self) -> None:
        [match], _ = find_matches("a" * 500 + " needle", "needle", 5)
        assert len(match.line) == MAX_LINE_CHARS
