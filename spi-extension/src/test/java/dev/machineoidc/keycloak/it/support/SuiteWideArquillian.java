package dev.machineoidc.keycloak.it.support;

import org.jboss.arquillian.test.spi.LifecycleMethodExecutor;
import org.jboss.arquillian.test.spi.TestMethodExecutor;
import org.jboss.arquillian.test.spi.TestResult;
import org.jboss.arquillian.test.spi.TestRunnerAdaptor;
import org.jboss.arquillian.test.spi.TestRunnerAdaptorBuilder;
import org.jboss.arquillian.test.spi.event.suite.TestLifecycleEvent;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.reflect.Method;

/**
 * One Arquillian suite for the whole launcher session (the failsafe JVM), whichever test engine asks for it: Jupiter's
 * {@code ArquillianExtension} and jqwik's {@link ArquillianLifecycle} both take their adaptor from
 * {@link TestRunnerAdaptorBuilder#build()}, which hands out the one installed here. Each engine ends "its" suite when
 * it has run its classes; this adaptor ends the real one only when the session closes, so the jqwik properties run
 * against the very Keycloak servers the Jupiter container tests started, in whichever order the engines run, and
 * every server is still started only once. Registered through {@code META-INF/services}; a session that runs no
 * container test never builds an Arquillian suite.
 */
public final class SuiteWideArquillian implements LauncherSessionListener {

    private final SharedAdaptor shared = new SharedAdaptor();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        TestRunnerAdaptorBuilder.set(shared);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestRunnerAdaptorBuilder.set(null);
        try {
            shared.end();
        } catch (Exception e) {
            throw new IllegalStateException("Arquillian's suite did not end cleanly: " + e, e);
        }
    }

    /** Arquillian's own adaptor, built on first use, whose suite starts once and ends with the session. */
    private static final class SharedAdaptor implements TestRunnerAdaptor {

        private TestRunnerAdaptor real;
        private Exception failedStart;

        @Override
        public synchronized void beforeSuite() throws Exception {
            if (failedStart != null) {
                throw failedStart;
            }
            if (real != null) {
                return;
            }
            // build() answers the installed adaptor, this one, so the real one is built with nothing installed.
            TestRunnerAdaptorBuilder.set(null);
            try {
                real = TestRunnerAdaptorBuilder.build();
            } finally {
                TestRunnerAdaptorBuilder.set(this);
            }
            try {
                real.beforeSuite();
            } catch (Exception e) {
                failedStart = e;
                throw e;
            }
        }

        /** An engine is done with the suite; others may still need it. */
        @Override
        public void afterSuite() {
        }

        @Override
        public void shutdown() {
        }

        synchronized void end() throws Exception {
            if (real == null) {
                return;
            }
            try {
                real.afterSuite();
            } finally {
                real.shutdown();
                real = null;
            }
        }

        @Override
        public void beforeClass(Class<?> testClass, LifecycleMethodExecutor executor) throws Exception {
            started().beforeClass(testClass, executor);
        }

        @Override
        public void afterClass(Class<?> testClass, LifecycleMethodExecutor executor) throws Exception {
            started().afterClass(testClass, executor);
        }

        @Override
        public void before(Object testInstance, Method testMethod, LifecycleMethodExecutor executor) throws Exception {
            started().before(testInstance, testMethod, executor);
        }

        @Override
        public void after(Object testInstance, Method testMethod, LifecycleMethodExecutor executor) throws Exception {
            started().after(testInstance, testMethod, executor);
        }

        @Override
        public TestResult test(TestMethodExecutor testMethodExecutor) throws Exception {
            return started().test(testMethodExecutor);
        }

        @Override
        public <T extends TestLifecycleEvent> void fireCustomLifecycle(T event) throws Exception {
            started().fireCustomLifecycle(event);
        }

        private synchronized TestRunnerAdaptor started() {
            if (real == null) {
                throw new IllegalStateException("Arquillian's suite has not started: beforeSuite first");
            }
            return real;
        }
    }
}
