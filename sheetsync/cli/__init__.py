"""The command line: the click group and its commands (main), options and the error
table (options), help texts and words, reports, the form and remind commands (intake),
the console drawn on a terminal. The entry point is sheetsync.cli.main:main."""
