"""`vidgen studio`: a local web workspace where writers edit the narration beside the preview.

    editing     one beat's narration written back into the file, nothing else touched
    findings    `vidgen check`'s problems placed on their scene and beat
    listen      one beat, or any words, spoken in the storyboard's voice
    workspace   the file, its versions, the page's state, saving
    background  the checker, the preview builder and the file watcher, and their events
    security    the token, the Origin/Host check, paths kept inside the preview folder
    server      the routes, and serving them on 127.0.0.1
    static/     the page: HTML, CSS and JavaScript, served as they are
"""
