package io.longshore.verify.registry;

import io.longshore.kit.output.Masker;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Every credential that goes on the wire (Basic pair, Bearer token) is registered with the job's
 * masker before it is sent, so no later message, tree or report can show it — whichever code
 * path derived it.
 */
public final class SecretMaskingInterceptor implements Interceptor {
    private final Masker masker;

    public SecretMaskingInterceptor(Masker masker) {
        this.masker = masker;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String auth = chain.request().header("Authorization");
        if (auth != null) {
            int sp = auth.indexOf(' ');
            masker.add(sp >= 0 ? auth.substring(sp + 1) : auth);
        }
        return chain.proceed(chain.request());
    }
}
