"""Patient-reported outcome measures: definitions as data plus pure scoring."""
