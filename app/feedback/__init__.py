"""Citizens' feedback on a published record: an error reported or a question asked, answered by the board."""
