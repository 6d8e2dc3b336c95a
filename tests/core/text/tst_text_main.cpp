// Runs the test classes of core/text (readability filters, language share, dedup and decontamination,
// policies)
// and the curate command built on them.
#include <QCoreApplication>

int runReadabilityTests(int argc, char** argv);
int runDedupTests(int argc, char** argv);
int runPolicyTests(int argc, char** argv);
int runCurateCliTests(int argc, char** argv);
int runLanguageShareTests(int argc, char** argv);

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int failed = 0;
    failed += runReadabilityTests(argc, argv);
    failed += runDedupTests(argc, argv);
    failed += runPolicyTests(argc, argv);
    failed += runCurateCliTests(argc, argv);
    failed += runLanguageShareTests(argc, argv);
    return failed;
}
