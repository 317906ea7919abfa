-- Directorate-scoped tokens (issue 18): the directorate codes a token is
-- limited to, as given (trimmed) and joined with ',' -- the form the gateway
-- forwards in x-gt-directorates; empty: the whole organisation. A code has no
-- ',' (CreateToken refuses one), so the list splits back exactly. At most 20
-- codes of at most 32 characters: 20 * 32 + 19 separators = 659. Existing
-- tokens are not limited (the default).
ALTER TABLE api_tokens ADD COLUMN directorates VARCHAR(700) NOT NULL DEFAULT '';
