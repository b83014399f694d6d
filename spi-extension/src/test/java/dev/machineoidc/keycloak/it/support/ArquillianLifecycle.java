package dev.machineoidc.keycloak.it.support;

import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.Store;
import org.jboss.arquillian.test.spi.LifecycleMethodExecutor;
import org.jboss.arquillian.test.spi.TestRunnerAdaptor;
import org.jboss.arquillian.test.spi.TestRunnerAdaptorBuilder;

import java.lang.reflect.Method;

/**
 * Arquillian for jqwik properties, as {@code ArquillianExtension} is for Jupiter tests (jqwik runs no Jupiter
 * extensions): the class's {@code @Deployment} is deployed before its properties and its {@code @ArquillianResource}
 * fields are filled before each property, in client mode. Use it with {@code @AddLifecycleHook(ArquillianLifecycle.class)}
 * on the class. With {@link SuiteWideArquillian} installed (always, under failsafe) the suite is the one the Jupiter
 * container tests share, so the properties reuse their running server.
 */
public final class ArquillianLifecycle implements AroundContainerHook, AroundPropertyHook {

    /** Outside every other around-property hook: {@code @BeforeProperty} methods see the enriched fields. */
    private static final int OUTERMOST = -1_000;

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.DIRECT_DESCENDANTS;
    }

    @Override
    public void beforeContainer(ContainerLifecycleContext context) {
        Class<?> testClass = testClass(context);
        unchecked("deploy " + testClass.getSimpleName(), () -> suite().adaptor.beforeClass(testClass, LifecycleMethodExecutor.NO_OP));
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        Class<?> testClass = testClass(context);
        unchecked("undeploy " + testClass.getSimpleName(), () -> suite().adaptor.afterClass(testClass, LifecycleMethodExecutor.NO_OP));
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) throws Exception {
        TestRunnerAdaptor adaptor = suite().adaptor;
        Object instance = context.testInstance();
        Method method = context.targetMethod();
        adaptor.before(instance, method, LifecycleMethodExecutor.NO_OP);
        try {
            return property.execute();
        } finally {
            adaptor.after(instance, method, LifecycleMethodExecutor.NO_OP);
        }
    }

    @Override
    public int aroundPropertyProximity() {
        return OUTERMOST;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void unchecked(String what, Step step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Arquillian could not " + what + ": " + e, e);
        }
    }

    private static Class<?> testClass(ContainerLifecycleContext context) {
        return context.optionalContainerClass()
                .orElseThrow(() -> new IllegalStateException("ArquillianLifecycle belongs on a test class"));
    }

    /** The suite of this jqwik run, started once; without SuiteWideArquillian it ends with the run. */
    private static Suite suite() {
        return Store.getOrCreate(Suite.class, Lifespan.RUN, Suite::start).get();
    }

    private static final class Suite implements Store.CloseOnReset {

        private final TestRunnerAdaptor adaptor;

        private Suite(TestRunnerAdaptor adaptor) {
            this.adaptor = adaptor;
        }

        static Suite start() {
            TestRunnerAdaptor adaptor = TestRunnerAdaptorBuilder.build();
            unchecked("start its suite", adaptor::beforeSuite);
            return new Suite(adaptor);
        }

        @Override
        public void close() throws Exception {
            try {
                adaptor.afterSuite();
            } finally {
                adaptor.shutdown();
            }
        }
    }
}
