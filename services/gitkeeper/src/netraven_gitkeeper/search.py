"""Pure helpers over texts: count a diff's changes, find a string in a config with context."""

from netraven_shared.events.config_read import SEARCH_CONTEXT_LINES, SearchMatch

MAX_LINE_CHARS = 200


def count_changes(diff: str) -> tuple[int, int]:
    """(added, removed) lines of a single-file unified diff; lines before the first hunk are
    headers.

    Counted by `str.count` over the hunks: a diff of a large config is thousands of lines."""
    start = 0 if diff.startswith("@@") else diff.find("\n@@")
    if start < 0:
        return 0, 0
    hunks = diff[start:]
    return hunks.count("\n+"), hunks.count("\n-")


def find_matches(text: str, query: str, limit: int) -> tuple[list[SearchMatch], bool]:
    """Lines containing `query` (ignoring case), with context; the flag says more matches were left
    off."""
    full = text.splitlines()
    lines = [line[:MAX_LINE_CHARS] for line in full]
    needle = query.casefold()
    matches: list[SearchMatch] = []
    for index, line in enumerate(lines):
        if needle not in full[index].casefold():
            continue
        if len(matches) == limit:
            return matches, True
        matches.append(
            SearchMatch(
                line_number=index + 1,
                line=line,
                before=lines[max(0, index - SEARCH_CONTEXT_LINES) : index],
                after=lines[index + 1 : index + 1 + SEARCH_CONTEXT_LINES],
            )
        )
    return matches, False
