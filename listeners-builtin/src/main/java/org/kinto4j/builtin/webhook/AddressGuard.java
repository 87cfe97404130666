package org.kinto4j.builtin.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses webhook targets on internal networks (server-side request forgery): loopback,
 * private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata
 * services —, fe80::/10), carrier-grade NAT (100.64/10), unspecified, multicast and reserved
 * addresses. Every address the host name resolves to is checked, at start and before every
 * delivery, so a DNS change towards an internal address is caught too, and the webhook client
 * connects only to the addresses checked here (it does not resolve the name again, so a resolver
 * that answers differently a moment later, DNS rebinding, is not followed either). Redirects are
 * never followed, so a public receiver cannot bounce a delivery inward. A kept-alive connection
 * stays with the address it was opened to.
 */
final class AddressGuard {

    private final boolean allowPrivate;

    AddressGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Resolves {@code host} and checks each address.
     *
     * @return the addresses, all allowed
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws RefusedAddressException naming the host and the internal address
     */
    InetAddress[] check(String host) throws UnknownHostException, RefusedAddressException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        if (allowPrivate) {
            return addresses;
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new RefusedAddressException(host + " resolves to " + a.getHostAddress()
                        + ", an internal address (loopback, private, link-local or reserved); set"
                        + " allow_private_networks = true to deliver there");
            }
        }
        return addresses;
    }

    static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0 || b0 >= 240 || (b0 == 100 && (b1 & 0xc0) == 64)
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) || (b0 == 198 && (b1 == 18 || b1 == 19));
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return true;
        }
        // IPv4 embedded in NAT64 (64:ff9b::/96): judge the IPv4 address
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            try {
                return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

    /** The target resolves to an internal address and {@code allow_private_networks} is false. */
    static final class RefusedAddressException extends Exception {
        RefusedAddressException(String message) {
            super(message);
        }
    }
}
