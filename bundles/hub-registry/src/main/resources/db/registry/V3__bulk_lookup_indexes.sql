-- Named indexes for the bulk imports' IN-list lookups, so that their statements can name them (Derby keeps
-- the plan made when the table was empty unless told which index to probe).
-- (id_value first: an index with the primary key's columns in its order would not be created, Derby warns 01504)
CREATE INDEX reg_identifier_lookup ON reg_identifier (id_value, kind, partner);
CREATE INDEX reg_membership_household ON reg_membership (household_id);
-- every household of a department has the same NUMORG: the (numorg, matricule) key cannot be probed by matricule
CREATE INDEX reg_household_matricule ON reg_household (matricule);
