package dev.machineoidc.keycloak.console;

import dev.machineoidc.keycloak.issuer.OrgIssuer;
import dev.machineoidc.keycloak.keys.OrgKeys;
import dev.machineoidc.keycloak.keys.RotationRules;
import dev.machineoidc.keycloak.org.OrgSettings;
import dev.machineoidc.keycloak.org.SettingsComponent;
import dev.machineoidc.keycloak.refusal.Refusal;
import dev.machineoidc.keycloak.subject.Placeholder;
import dev.machineoidc.keycloak.subject.SubjectTemplate;
import dev.machineoidc.keycloak.view.ViewClient;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.urls.UrlType;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.machineoidc.keycloak.console.SettingsForm.APPS_AND_MACHINES;
import static dev.machineoidc.keycloak.console.SettingsForm.ISSUER;
import static dev.machineoidc.keycloak.console.SettingsForm.KEY_ROTATION_STEP;
import static dev.machineoidc.keycloak.console.SettingsForm.SIGNING_KEYS;
import static dev.machineoidc.keycloak.org.OrgSettings.ALLOWED_AUDIENCES;
import static dev.machineoidc.keycloak.org.OrgSettings.DEFAULT_AUDIENCE;
import static dev.machineoidc.keycloak.org.OrgSettings.JWKS_CACHE_SECONDS;
import static dev.machineoidc.keycloak.org.OrgSettings.MINT_RATE_LIMIT;
import static dev.machineoidc.keycloak.org.OrgSettings.NBF_BACKDATE;
import static dev.machineoidc.keycloak.org.OrgSettings.SUBJECT_TEMPLATE;
import static dev.machineoidc.keycloak.org.OrgSettings.TOKEN_LIFETIME;

/**
 * The "Machine identity" tab of an org's realm settings in the admin console (admin-console UI extension SPI, feature
 * {@code declarative-ui}). Its component is where the org's settings are stored ({@link SettingsComponent}): the
 * console loads and saves it, and so does the admin REST API. This class validates every save through
 * {@link OrgSettings}, as the REST API does, and brings the read-only fields (issuer, signing keys) up to date.
 * <p>
 * Keycloak has no hook when the console reads a component, so those fields show the state of the last save; whoever
 * changes the keys through this extension saves the component ({@link SettingsComponent#touch}).
 * <p>
 * The issuer cannot be edited: Keycloak 26.7 does not pass a property's read-only flag to the console, so the field
 * is shown, labelled read-only, and whatever it holds on save is replaced by the computed issuer.
 */
public class MachineIdentityTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    public static final String PROVIDER_ID = SettingsComponent.PROVIDER_ID;
    /**
     * Where the console adds the tab: realm settings, with or without a tab in the URL (the menu's Realm settings link
     * has none, and the documented {@code /:realm/realm-settings/:tab} would hide the tab there).
     */
    public static final String PATH = "/:realm/realm-settings/:tab?";
    /** The tab's route: {@code #/<realm>/realm-settings/machine-identity}. */
    public static final String TAB = "machine-identity";

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(ISSUER).label("Issuer (read-only)").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The iss of this org's tokens: the deployment's issuer base URL and the org's name, or Keycloak's "
                    + "own URL of the realm when no base is set. It cannot be changed here: a value typed into this field "
                    + "is ignored on save.")
            .add()
            .property().name(TOKEN_LIFETIME).label("Token lifetime (seconds)").type(ProviderConfigProperty.INTEGER_TYPE)
            .helpText("exp minus iat of every machine token, " + OrgSettings.MIN_TOKEN_LIFETIME + " to "
                    + OrgSettings.MAX_TOKEN_LIFETIME + " seconds (Azure refuses tokens valid for more than a day).")
            .defaultValue(SettingsForm.SHOWN_WITHOUT_COMPONENT.get(TOKEN_LIFETIME).get(0)).required(true)
            .add()
            .property().name(NBF_BACKDATE).label("nbf backdate (seconds)").type(ProviderConfigProperty.INTEGER_TYPE)
            .helpText("How far nbf lies before iat, 0 to " + OrgSettings.MAX_NBF_BACKDATE
                    + " seconds, for verifiers whose clocks run behind.")
            .defaultValue(SettingsForm.SHOWN_WITHOUT_COMPONENT.get(NBF_BACKDATE).get(0)).required(true)
            .add()
            .property().name(ALLOWED_AUDIENCES).label("Allowed audiences").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Glob patterns an explicitly requested aud must match, where * stands for any characters except a "
                    + "slash. A lone * allows any audience, an empty list none. The default audience (below) is "
                    + "always allowed.")
            .add()
            .property().name(MINT_RATE_LIMIT).label("Mint rate limit (tokens per second per machine)")
            // A string: the console's number field takes whole numbers only, and a rate may be 0.5.
            .type(ProviderConfigProperty.STRING_TYPE)
            .helpText("How many tokens one machine may mint per second, " + OrgSettings.formatRate(OrgSettings.MIN_MINT_RATE_LIMIT)
                    + " to " + OrgSettings.formatRate(OrgSettings.MAX_MINT_RATE_LIMIT) + ", in bursts of up to twice that "
                    + "(at least one token). Over it, the machine's bridge answers 429 with Retry-After.")
            .defaultValue(SettingsForm.SHOWN_WITHOUT_COMPONENT.get(MINT_RATE_LIMIT).get(0)).required(true)
            .add()
            .property().name(JWKS_CACHE_SECONDS).label("JWKS cache time (seconds)").type(ProviderConfigProperty.INTEGER_TYPE)
            .helpText("How long verifiers and proxies may cache this org's JWKS and discovery document (Cache-Control "
                    + "max-age), 0 to " + OrgSettings.MAX_JWKS_CACHE_SECONDS + " seconds. A prepared key signs only "
                    + "after this time.")
            .defaultValue(SettingsForm.SHOWN_WITHOUT_COMPONENT.get(JWKS_CACHE_SECONDS).get(0)).required(true)
            .add()
            .property().name(SUBJECT_TEMPLATE).label("Subject template").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("What sub is made of: placeholders " + Placeholder.ALL
                    + " and literal text (printable ASCII without spaces), in segments separated by ':', none empty. "
                    + "It must name the app or the machine. Default " + SubjectTemplate.DEFAULT_SOURCE
                    + "; {org_id}:{app_id}:{machine_id} survives renames, {org}:{app} gives every machine of an app one "
                    + "subject (Azure allows 20 federated credentials per identity).")
            .defaultValue(SettingsForm.SHOWN_WITHOUT_COMPONENT.get(SUBJECT_TEMPLATE).get(0)).required(true)
            .add()
            .property().name(DEFAULT_AUDIENCE).label("Default audience").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The aud of a token whose request names none, 1 to 256 printable characters; always allowed. "
                    + "Empty: the issuer.")
            .add()
            .property().name(SIGNING_KEYS).label("Signing keys (read-only)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("This org's RS256 signing keys: next (published, not signing yet), active (signing), previous "
                    + "(published until no unexpired token can carry it). Edits here are ignored on save.")
            .add()
            .property().name(KEY_ROTATION_STEP).label("Key rotation step").type(ProviderConfigProperty.LIST_TYPE)
            .options(SettingsForm.ROTATION_STEPS)
            .helpText("Runs one rotation phase when you save: prepare (a new key is published but does not sign), "
                    + "activate (it signs; the old key stays published), retire (the old key leaves the JWKS). A phase "
                    + "that must wait refuses with the reason and the time from which it is allowed.")
            .defaultValue(SettingsForm.NO_ROTATION_STEP)
            .add()
            .property().name(APPS_AND_MACHINES).label("Apps and machines (read-only)").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Open this URL to see and manage this org's apps and machines: add an app or a machine (with the "
                    + "command that starts its bridge), deploy, revoke, new enrollment tokens. Sign in there with your "
                    + "account of this org; the same admin roles apply as here. In Clients, apps appear as app:<app> and "
                    + "machines as machine:<name>@<app>, described as Machine OIDC: change them only through that page or "
                    + "the machine-oidc admin API. Orgs created before the view show it after their next save here; edits are ignored.")
            .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Machine identity settings of an org: issuer, token lifetime, nbf backdate, allowed audiences, mint rate "
                + "limit, JWKS cache time, subject template, default audience, and its signing keys and their rotation; the link to the org's Apps and machines view.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public String getPath() {
        return PATH;
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", TAB);
    }

    /**
     * Runs before Keycloak stores the component, on every save (the console, the REST API, an import): refuses non-org
     * realms and bad values with a message the console shows, and turns the config into the settings to store.
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (!OrgSettings.isOrg(realm)) {
            throw invalid("Realm " + realm.getName() + " is not a Machine OIDC org: machine identity settings exist "
                    + "only in org realms.");
        }
        ComponentModel stored = model.getId() == null ? null : realm.getComponent(model.getId());
        if (stored == null && SettingsComponent.find(realm).isPresent()) {
            throw invalid("The machine identity settings of " + realm.getName() + " were saved elsewhere since this "
                    + "page was loaded. Reload the page and save again.");
        }
        String issuer = issuer(session, realm, model);
        // A new component (the org's creation, an import) starts from what the form shows before there is one, where
        // no audience pattern means none: not from the defaults of an org without settings, which allow any.
        Map<String, List<String>> shown = stored == null ? SettingsForm.SHOWN_WITHOUT_COMPONENT : stored.getConfig();
        OrgSettings settings;
        try {
            settings = SettingsForm.settingsToSave(model.getConfig(), shown, OrgSettings.of(shown)).normalizedFor(issuer);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid machine identity settings: " + e.getMessage() + ".");
        }
        // With the settings as they were: the ones saved here take effect after the step, as if saved just after it.
        OrgKeys keys = new OrgKeys(session, realm, RotationRules.of(realm));
        rotationStep(model).ifPresent(step -> runStep(keys, step));
        Optional<String> view = viewUrl(session, realm, model);
        model.setConfig(SettingsForm.form(settings, issuer, keys.list()));
        view.ifPresent(url -> model.getConfig().putSingle(APPS_AND_MACHINES, url));
    }

    /** Where the org's admins open the Apps and machines view; outside an HTTP request (an import), what it had. */
    private static Optional<String> viewUrl(KeycloakSession session, RealmModel realm, ComponentModel model) {
        try {
            String base = session.getContext().getUri(UrlType.FRONTEND).getBaseUri().toString();
            return Optional.of(base.replaceAll("/$", "") + ViewClient.path(realm.getName()));
        } catch (RuntimeException e) {
            return Optional.ofNullable(model.get(APPS_AND_MACHINES));
        }
    }

    private static Optional<String> rotationStep(ComponentModel model) {
        try {
            return SettingsForm.rotationStep(model.getConfig());
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid machine identity settings: " + e.getMessage() + ".");
        }
    }

    /** A refused phase (the API's 409) becomes the form's error, with the API's reason and time. */
    private static void runStep(OrgKeys keys, String step) {
        Instant now = Instant.now();
        try {
            switch (step) {
                case "prepare" -> keys.prepare(now);
                case "activate" -> keys.activate(now);
                case "retire" -> keys.retire(now);
                default -> throw new IllegalStateException("unknown key rotation step " + step);
            }
        } catch (Refusal e) {
            throw invalid("Key rotation step " + step + " refused: " + e.getMessage());
        }
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        OrgSettings.of(newModel.getConfig()).recordLoweredFrom(OrgSettings.of(oldModel.getConfig()), realm, Instant.now());
    }

    private static String issuer(KeycloakSession session, RealmModel realm, ComponentModel model) {
        try {
            return OrgIssuer.of(session, realm).issuer();
        } catch (RuntimeException e) {
            // Outside an HTTP request (a realm import at startup) Keycloak has no URL to derive the issuer from
            // (ContextNotActiveException); the field is for display only, so the stored value stays.
            return SettingsForm.issuer(model.getConfig()).orElse(null);
        }
    }

    /**
     * Keycloak runs the message through {@link java.text.MessageFormat} before sending it to the console; as the
     * single parameter of the pattern {@code {0}}, quotes and braces in it (an audience pattern) survive unchanged.
     */
    private static ComponentValidationException invalid(String message) {
        return new ComponentValidationException("{0}", message);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
