/* placeholder */
#include "ir.h"
