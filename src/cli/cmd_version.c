/* `cipherline version`: our version and the OpenSSL we run against. */
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "base/base.h"
#include "cli.h"

int cl_cli_version(int argc, char **argv)
{
	int rc = cl_cli_parse("version", NULL, 0, argc, argv, NULL, NULL);

	if (rc == CL_CLI_HELP) {
		printf("usage: cipherline version\n\n"
		       "Prints the version of cipherline and of the OpenSSL library it runs\n"
		       "with (and was built against, when they differ).\n");
		return CL_EXIT_OK;
	}
	if (rc)
		return rc;
	printf("cipherline %s\n", CL_VERSION);
	printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
	if (OpenSSL_version_num() != OPENSSL_VERSION_NUMBER)
		printf("built with %s\n", OPENSSL_VERSION_TEXT);
	return CL_EXIT_OK;
}
