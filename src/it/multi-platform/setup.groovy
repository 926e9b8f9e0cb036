evaluate(new File(itScripts, 'helpers.groovy'))

assert new File('/proc/sys/fs/binfmt_misc/qemu-aarch64').exists() :
        'linux/arm64 emulation is not registered: run the tests with src/env/test.sh (it runs env.sh emulation-on)'
run(['docker', 'buildx', 'rm', 'lc-it-multi'])
deleteFromRegistry(registry, 'multi-platform', 'buildcache')
return true
