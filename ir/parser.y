/* placeholder: replaced by the text-reader work */
%name IrParser
%token_prefix TK_
%token IDENT.
start ::= .
