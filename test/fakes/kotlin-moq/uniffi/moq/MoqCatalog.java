package uniffi.moq;

import java.util.Map;

public class MoqCatalog {
    public Map<String, MoqVideo> getVideo() {
        return Map.of("video.avc3", new MoqVideo());
    }
}
