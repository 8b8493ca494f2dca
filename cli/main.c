/* placeholder, replaced by the CLI */
#include "ctok.h"
#include <stdio.h>
int main(void) { printf("ctok %s\n", ctok_version_string()); return 0; }
