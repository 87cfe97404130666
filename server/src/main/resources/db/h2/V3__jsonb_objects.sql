-- PostgreSQL turns objects.data into jsonb at this version. H2 has no JSON operators to use, so
-- its objects stay text (filters and sorts are evaluated while streaming rows); nothing to change.
SELECT 1;
