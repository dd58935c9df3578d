-- Person keys live in their own database, so backups of the drafts hold no keys.
CREATE DATABASE steady_keys OWNER steady;
