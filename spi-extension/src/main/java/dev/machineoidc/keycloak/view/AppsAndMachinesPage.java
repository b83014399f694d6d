package dev.machineoidc.keycloak.view;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code /realms/{org}/machine-oidc/console/}: the Apps and machines view, static files from the provider jar. The
 * page signs the org's admin in through {@link ViewClient} and calls the admin REST API with the admin's token, so it
 * holds no data and needs no permission of its own.
 */
public class AppsAndMachinesPage {

    private final KeycloakSession session;
    private final RealmModel org;

    public AppsAndMachinesPage(KeycloakSession session, RealmModel org) {
        this.session = session;
        this.org = org;
    }

    /** The page itself; without the trailing slash, a redirect to it, so that its relative links resolve. */
    @GET
    public Response page() {
        UriInfo uri = session.getContext().getUri();
        if (!uri.getPath().endsWith("/")) {
            return Response.seeOther(uri.getBaseUriBuilder().path(ViewClient.path(org.getName())).build()).build();
        }
        ViewClient.ensure(session, org);
        return asset(ViewAssets.INDEX);
    }

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String file) {
        return asset(file);
    }

    /**
     * Keycloak would replace the policy with the realm's, which is made for its own pages (it allows inline script),
     * so its headers are skipped here and the view's own set is sent, with the realm's HSTS setting.
     */
    private Response asset(String name) {
        ViewAssets.Asset asset = ViewAssets.find(name).orElseThrow(NotFoundException::new);
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        Response.ResponseBuilder answer = Response.ok(asset.content(), asset.contentType())
                .cacheControl(revalidate)
                .header(BrowserSecurityHeaders.CONTENT_SECURITY_POLICY.getHeaderName(), ViewAssets.CONTENT_SECURITY_POLICY)
                .header(BrowserSecurityHeaders.X_FRAME_OPTIONS.getHeaderName(), "DENY")
                .header(BrowserSecurityHeaders.X_CONTENT_TYPE_OPTIONS.getHeaderName(), "nosniff")
                .header(BrowserSecurityHeaders.X_ROBOTS_TAG.getHeaderName(), "none")
                // The page's URL carries the authorization code until the script removes it.
                .header(BrowserSecurityHeaders.REFERRER_POLICY.getHeaderName(), "no-referrer");
        String hsts = org.getBrowserSecurityHeaders().get(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY.getKey());
        if (hsts != null && !hsts.isEmpty()) {
            answer.header(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY.getHeaderName(), hsts);
        }
        return answer.build();
    }
}
