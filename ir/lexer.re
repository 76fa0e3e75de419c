/* placeholder */ int ir_lexer_placeholder(void); int ir_lexer_placeholder(void) { return 0; }
