-- The uncertainty of the difference of two scores whose CI half-widths are a and b: a change
-- larger than this is significant. Defined once in the database for every step and for users.
create or replace macro combined_ci(a, b) as sqrt(pow(a, 2) + pow(b, 2))
