package dev.machineoidc.arquillian;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStampTest {

    @TempDir
    Path home;

    @Test
    void fingerprintDependsOnBuildCommandAndProviders() {
        String base = BuildStamp.fingerprint(List.of("kc.sh", "build", "--features=a"), "p1");

        assertThat(BuildStamp.fingerprint(List.of("kc.sh", "build", "--features=a"), "p1"), equalTo(base));
        assertThat(BuildStamp.fingerprint(List.of("kc.sh", "build", "--features=b"), "p1"), not(equalTo(base)));
        assertThat(BuildStamp.fingerprint(List.of("kc.sh", "build", "--features=a"), "p2"), not(equalTo(base)));
    }

    @Test
    void matchesOnlyWhatWasRecordedAndNothingAfterClear() throws IOException {
        BuildStamp stamp = new BuildStamp(home);
        assertThat(stamp.matches("f1"), is(false));

        stamp.record("f1");
        assertThat(stamp.matches("f1"), is(true));
        assertThat(new BuildStamp(home).matches("f1"), is(true));
        assertThat(stamp.matches("f2"), is(false));

        stamp.clear();
        assertThat(stamp.matches("f1"), is(false));
    }
}
