"""What pages import: the page map (pages), component ids (ids), the signed-in viewer (auth, signin_sessions,
passwords), the viewer-query helper (viewer), services and settings, download links, pseudonyms and the digest's
text. Nothing here imports the composition root one level up."""
