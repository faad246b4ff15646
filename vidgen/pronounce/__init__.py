"""Pronunciation: what the voice says for what the writer wrote.

`<say as="…">` tags, the lexicon (`voices/lexicon.<lang>.yaml` and a storyboard's
`lexicon:`) and built-in readings per language turn a narration into pieces
(`vidgen.pronounce.pieces`); `vidgen.pronounce.say` speaks one beat or a sentence for
`vidgen say` and the studio; `vidgen.pronounce.hints` finds what `vidgen check` suggests.
"""
