"""Knowledge: the only reader of package data (catalogs, FAQ, profiles, policies, column rules)."""
