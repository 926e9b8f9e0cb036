import java.security.MessageDigest

// Every file and directory below a root, by relative path and SHA-256 of its content, one per line.
return { File root ->
    def files = [:]
    root.eachFileRecurse { f ->
        def path = root.toPath().relativize(f.toPath()).toString()
        files[path] = f.isDirectory() ? 'dir' : MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString()
    }
    files.sort().collect { k, v -> "${k} ${v}" }.join('\n')
}
