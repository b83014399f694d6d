package dev.machineoidc.keycloak.testing;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Keycloak models (realms, clients) that only hold an id and string attributes, for unit tests of logic that reads
 * and writes attributes. Any other method throws, so a test notices when the logic starts to need more.
 */
public final class AttributeModels {

    private AttributeModels() {
    }

    public static <T> T of(Class<T> type, String id, Map<String, String> attributes) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    int arity = args == null ? 0 : args.length;
                    switch (method.getName()) {
                        case "getId":
                            return id;
                        case "getAttribute":
                            if (arity == 1) {
                                return attributes.get((String) args[0]);
                            }
                            break;
                        case "setAttribute":
                            attributes.put((String) args[0], args[1] == null ? null : String.valueOf(args[1]));
                            return null;
                        case "removeAttribute":
                            attributes.remove((String) args[0]);
                            return null;
                        case "getAttributes":
                            return attributes;
                        case "toString":
                            return type.getSimpleName() + " " + id + " " + attributes;
                        default:
                            break;
                    }
                    throw new UnsupportedOperationException(method.toString());
                }));
    }
}
