"""The rule language's front end: grammar, parser (text → AST), checker (AST → IR), formatter."""
