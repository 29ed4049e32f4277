"""The document tree's walks (reportgen.document.tree): iter_blocks and plain_text, held to their
recursive definitions on random trees."""

from __future__ import annotations

import random

from reportgen.document.tree import (
    BlockQuote,
    BulletList,
    Code,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    OrderedList,
    PageBreak,
    Paragraph,
    Source,
    Strong,
    Text,
    iter_blocks,
    plain_text,
)


def blocks_by_recursion(blocks):
    for b in blocks:
        yield b
        if isinstance(b, (BulletList, OrderedList)):
            for item in b.items:
                yield from blocks_by_recursion(item)
        elif isinstance(b, (BlockQuote, Source)):
            yield from blocks_by_recursion(b.blocks)


def text_by_recursion(inlines) -> str:
    if isinstance(inlines, (Text, Code)):
        return inlines.text
    if isinstance(inlines, LineBreak):
        return "\n"
    if isinstance(inlines, (Strong, Emphasis, Link)):
        return text_by_recursion(inlines.children)
    return "".join(text_by_recursion(i) for i in inlines)


def random_inlines(rng: random.Random, depth: int = 0) -> tuple:
    out = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.randrange(6 if depth < 3 else 3)
        if kind == 0:
            out.append(Text(rng.choice(["a", "", "b c", "ö"])))
        elif kind == 1:
            out.append(Code("k"))
        elif kind == 2:
            out.append(LineBreak())
        elif kind == 3:
            out.append(Strong(random_inlines(rng, depth + 1)))
        elif kind == 4:
            out.append(Emphasis(random_inlines(rng, depth + 1)))
        else:
            out.append(Link("https://e.se", random_inlines(rng, depth + 1)))
    return tuple(out)


def random_blocks(rng: random.Random, depth: int = 0) -> tuple:
    out = []
    for _ in range(rng.randint(0, 4)):
        kind = rng.randrange(7 if depth < 4 else 3)
        if kind == 0:
            out.append(Paragraph(random_inlines(rng)))
        elif kind == 1:
            out.append(Heading(rng.randint(1, 4), random_inlines(rng)))
        elif kind == 2:
            out.append(PageBreak())
        elif kind in (3, 4):
            items = tuple(random_blocks(rng, depth + 1) for _ in range(rng.randint(0, 3)))
            out.append(BulletList(items) if kind == 3 else OrderedList(items, 2))
        elif kind == 5:
            out.append(BlockQuote(random_blocks(rng, depth + 1)))
        else:
            out.append(Source("projects[0].summary", random_blocks(rng, depth + 1)))
    return tuple(out)


def test_iter_blocks_walks_depth_first_as_the_recursive_definition():
    rng = random.Random(5)
    for _ in range(500):
        blocks = random_blocks(rng)
        assert [id(b) for b in iter_blocks(blocks)] == [id(b) for b in blocks_by_recursion(blocks)]
    # A generator is taken too, and so is an empty list item.
    items = (Paragraph((Text("a"),)),)
    assert list(iter_blocks(b for b in (BulletList(((), items)),))) == [BulletList(((), items)), items[0]]


def test_plain_text_is_that_of_the_recursive_definition():
    rng = random.Random(6)
    for _ in range(2000):
        inlines = random_inlines(rng)
        assert plain_text(inlines) == text_by_recursion(inlines)
        assert plain_text(list(inlines)) == text_by_recursion(inlines)
        for x in inlines:
            assert plain_text(x) == text_by_recursion(x)
